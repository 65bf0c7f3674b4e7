#pragma once
// Scenario: what a scenario file describes — a topology of nodes (sources, pools, stages,
// rate limiters, semaphores, merges, sinks...) connected by `to`, their parameters, and which
// parameters a teacher may change while it runs (with slider ranges). Plain data, validated.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/clock.h"
#include "scenario/param.h"

namespace cs::scenario {

struct NodeSpec {
    std::string kind;                          // "source", "pool", ...
    std::string name;                          // unique in the scenario
    std::map<std::string, ParamValue> params;  // every parameter of the kind, defaults filled in

    const ParamValue& param(const std::string& key) const { return params.at(key); }
    int64_t integer(const std::string& key) const { return std::get<int64_t>(param(key)); }
    double number(const std::string& key) const { return std::get<double>(param(key)); }
    rt::Duration duration(const std::string& key) const {
        return std::get<rt::Duration>(param(key));
    }
    bool boolean(const std::string& key) const { return std::get<bool>(param(key)); }
    const std::string& text(const std::string& key) const {
        return std::get<std::string>(param(key));
    }
    const patterns::WorkDistribution& distribution(const std::string& key) const {
        return std::get<patterns::WorkDistribution>(param(key));
    }
};

struct LiveParam {
    std::string node;
    std::string param;
    double min = 0, max = 0;  // on the spec's numeric scale (nanoseconds for durations)
};

struct Scenario {
    std::string name;         // "worker_pool"
    std::string title;        // "Worker pool"
    std::string description;  // what a lesson shows
    rt::Duration duration{};  // default run length (scenario clock)
    uint64_t seed = 1;
    std::optional<rt::Duration> cancel_after;  // hard-stop the run at this time (done channels)
    std::vector<NodeSpec> nodes;
    std::vector<LiveParam> live;

    const NodeSpec* find_node(const std::string& name) const;
    const LiveParam* find_live(const std::string& node, const std::string& param) const;
};

}  // namespace cs::scenario
