#pragma once
// ScenarioReport: what a run did, per node — counters, throughput, latency percentiles, queue
// occupancy and worker utilization — as text for people or as one JSON object for tools.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "patterns/latency_histogram.h"
#include "runtime/clock.h"

namespace cs::scenario {

struct GaugeReport {
    std::string label;  // "queue", "semaphore"
    size_t capacity = 0;
    double mean = 0;  // sampled every 10 ms of scenario time
    size_t max = 0;
};

struct NodeReport {
    std::string name, kind;
    std::vector<std::pair<std::string, uint64_t>> counters;  // in report order
    std::vector<std::pair<std::string, double>> ratios;      // hit_ratio and the like, 0 .. 1
    uint64_t output = 0;    // items that left (or, for a sink, arrived): throughput's numerator
    double throughput = 0;  // output per second of scenario time
    std::optional<patterns::LatencySummary> latency;
    std::string latency_of;  // "job", "end to end", "item"
    std::vector<GaugeReport> gauges;
    std::vector<double> utilization;  // per worker, busy / alive, in [0, 1]
    std::vector<std::string> notes;   // latest errors and the like

    uint64_t counter(const std::string& name) const;  // 0 if absent
};

struct ScenarioReport {
    std::string scenario, title;
    rt::Duration elapsed{};  // scenario clock
    double wall_seconds = 0;
    double speed = 1;
    uint64_t seed = 0;
    std::string stop;  // "drain", "cancel", "cancel_after"
    uint64_t dropped_events = 0;
    std::vector<std::string> task_errors;  // tasks that ended by throwing
    std::vector<NodeReport> nodes;

    const NodeReport* find(const std::string& node) const;
};

std::string to_text(const ScenarioReport& report);
std::string to_json(const ScenarioReport& report);  // one line

}  // namespace cs::scenario
