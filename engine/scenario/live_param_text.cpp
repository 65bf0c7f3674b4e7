#include "scenario/live_param_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "runtime/duration_text.h"
#include "runtime/errors.h"
#include "scenario/node_kinds.h"

namespace cs::scenario {
namespace {

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

std::optional<double> number_of(std::string_view text) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

}  // namespace

const ParamSpec& live_param_spec(const Scenario& s, const LiveParam& live) {
    const NodeSpec* node = s.find_node(live.node);
    const NodeKind* kind = node ? find_node_kind(node->kind) : nullptr;
    const ParamSpec* spec = kind ? kind->find(live.param) : nullptr;
    if (!spec)
        throw rt::InvalidArgument(live.node + "." + live.param + " is not a parameter of " +
                                  s.name);
    return *spec;
}

double parse_live_value(const Scenario& s, const LiveParam& live, std::string_view typed) {
    const ParamSpec& spec = live_param_spec(s, live);
    const std::string_view text = trimmed(typed);
    auto refuse = [&](const std::string& expected) -> double {
        throw rt::InvalidArgument(live.node + "." + live.param + ": \"" + std::string(typed) +
                                  "\" is not " + expected);
    };
    switch (spec.type) {
        case ParamType::integer: {
            std::optional<double> v = number_of(text);
            if (!v || *v != std::floor(*v)) return refuse("a whole number, such as 8");
            return *v;
        }
        case ParamType::number: {
            std::optional<double> v = number_of(text);
            return v ? *v : refuse("a number, such as 0.25");
        }
        case ParamType::duration:
        case ParamType::distribution: {
            std::optional<rt::Duration> d = rt::parse_duration(text);
            return d ? double(d->count()) : refuse("a duration, such as 20ms or 1.5s");
        }
        case ParamType::boolean:
            if (text == "true") return 1;
            if (text == "false") return 0;
            return refuse("true or false");
        case ParamType::choice: {
            std::string names;
            for (size_t i = 0; i < spec.choices.size(); ++i) {
                if (spec.choices[i] == text) return double(i);
                names += (i ? ", " : "") + spec.choices[i];
            }
            return refuse("one of " + names);
        }
        default:
            return refuse("settable while the scenario runs");
    }
}

std::string format_live_value(const Scenario& s, const LiveParam& live, double value) {
    const ParamSpec& spec = live_param_spec(s, live);
    switch (spec.type) {
        case ParamType::integer:
            return describe_value(ParamValue(int64_t(std::llround(value))));
        case ParamType::duration:
        case ParamType::distribution:
            return rt::format_duration(rt::Duration(std::llround(value)));
        case ParamType::boolean:
            return value != 0 ? "true" : "false";
        case ParamType::choice: {
            auto i = size_t(std::llround(std::clamp(value, 0.0, double(spec.choices.size() - 1))));
            return spec.choices.empty() ? "" : spec.choices[i];
        }
        default:
            return describe_value(ParamValue(value));
    }
}

}  // namespace cs::scenario
