#pragma once
// Parameters of scenario nodes: their types, allowed ranges and values. One schema serves the
// loader (validation and error messages), the controller (live changes) and the GUI's parameter
// inspector (sliders and their ranges).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "patterns/work_distribution.h"
#include "runtime/clock.h"

namespace cs::scenario {

enum class ParamType {
    integer,       // JSON integer
    number,        // JSON number
    duration,      // "20ms", "1.5s"
    boolean,       // true / false
    choice,        // one of `choices`, a string
    distribution,  // {"dist": "exponential", "mean": "20ms"}; live changes set its mean
    node,          // the name of another node
    text,          // any string (a file path)
};
const char* to_string(ParamType t) noexcept;

using ParamValue =
    std::variant<int64_t, double, rt::Duration, bool, std::string, patterns::WorkDistribution>;

struct ParamSpec {
    std::string name;
    ParamType type = ParamType::integer;
    // Inclusive range for integer, number and duration (in nanoseconds); for a distribution, the
    // range of its mean.
    double min = 0, max = 0;
    std::vector<std::string> choices;
    std::string node_kind;                    // for a node parameter: the kind it must name
    std::optional<ParamValue> default_value;  // none: the field is required
    bool live = false;                        // may change while the scenario runs
    std::string help;                         // "worker tasks taking jobs from the queue"
};

// The allowed range as people read it: "1 .. 256", "0s .. 1h", "block, drop_newest, reject".
std::string describe_range(const ParamSpec& spec);
std::string describe_value(const ParamValue& value);  // "4", "20ms", "exponential(mean 20ms)"

// A value as a number on the spec's scale (a duration or a distribution's mean in nanoseconds),
// for range checks and sliders.
double numeric(const ParamValue& value);

}  // namespace cs::scenario
