#include "scenario/node_kinds.h"

// GCC 12 warns about designated initializers that leave members to their defaults, which is
// exactly how this table is meant to read.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace cs::scenario {
namespace {

using namespace std::chrono_literals;
using patterns::WorkDistribution;

constexpr double ns_per_hour = 3600e9;

ParamSpec work(bool live = true, rt::Duration mean = 10ms) {
    return {.name = "work",
            .type = ParamType::distribution,
            .min = 0,
            .max = ns_per_hour,
            .default_value = WorkDistribution::exponential(mean),
            .live = live,
            .help = "time one item takes: {\"dist\": constant|uniform|exponential|lognormal, ...}"};
}
ParamSpec queue(int64_t dflt) {
    return {.name = "queue",
            .type = ParamType::integer,
            .min = 0,
            .max = 100000,
            .default_value = dflt,
            .help = "channel capacity in front of (or behind) the node; 0 = unbuffered"};
}
ParamSpec workers(int64_t dflt, double max, bool live) {
    return {.name = "workers",
            .type = ParamType::integer,
            .min = 1,
            .max = max,
            .default_value = dflt,
            .live = live,
            .help = "worker tasks"};
}

std::vector<NodeKind> make_kinds() {
    return {
        {.name = "source",
         .help = "produces items at a token-bucket rate",
         .accepts_input = false,
         .params = {{.name = "rate",
                     .type = ParamType::number,
                     .min = 0.001,
                     .max = 1e6,
                     .default_value = 100.0,
                     .live = true,
                     .help = "items per second"},
                    {.name = "burst",
                     .type = ParamType::integer,
                     .min = 1,
                     .max = 1000000,
                     .default_value = int64_t{1},
                     .live = true,
                     .help = "items that may leave at once after a quiet spell"},
                    {.name = "count",
                     .type = ParamType::integer,
                     .min = 0,
                     .max = 1e12,
                     .default_value = int64_t{0},
                     .help = "items in all; 0 = no end"},
                    {.name = "max_weight",
                     .type = ParamType::integer,
                     .min = 1,
                     .max = 1000,
                     .default_value = int64_t{1},
                     .help = "items weigh 1 .. max_weight (for weighted semaphores)"}}},
        {.name = "pool",
         .help = "a worker pool: a bounded job queue and N workers",
         .needs_output = false,
         .params = {workers(4, 256, true),
                    queue(16),
                    {.name = "backpressure",
                     .type = ParamType::choice,
                     .choices = {"block", "drop_newest", "reject"},
                     .default_value = std::string("block"),
                     .help = "what a full queue does to a new job"},
                    work(),
                    {.name = "timeout",
                     .type = ParamType::duration,
                     .min = 0,
                     .max = ns_per_hour,
                     .default_value = rt::Duration(0),
                     .help = "per-job timeout; 0s = none"},
                    {.name = "fail_rate",
                     .type = ParamType::number,
                     .min = 0,
                     .max = 1,
                     .default_value = 0.0,
                     .live = true,
                     .help = "fraction of jobs that fail"}}},
        {.name = "stage",
         .help = "a pipeline stage: N workers between two channels",
         .needs_output = false,
         .params = {workers(1, 256, false),
                    queue(16),
                    work(),
                    {.name = "ordered",
                     .type = ParamType::boolean,
                     .default_value = false,
                     .help = "keep arrival order on the way out"}}},
        {.name = "fan_out",
         .help = "N tasks share one input, each with its own output channel; a fan-in merges them",
         .needs_output = false,
         .params = {workers(4, 64, false),
                    queue(4),
                    work(),
                    {.name = "merge",
                     .type = ParamType::choice,
                     .choices = {"forwarders", "select"},
                     .default_value = std::string("forwarders"),
                     .help = "fan-in by one forwarding task per branch, or one select over all"}}},
        {.name = "rate_limit",
         .help = "forwards items no faster than a token bucket allows",
         .needs_output = false,
         .params = {{.name = "rate",
                     .type = ParamType::number,
                     .min = 0.001,
                     .max = 1e6,
                     .default_value = 10.0,
                     .live = true,
                     .help = "tokens per second"},
                    {.name = "burst",
                     .type = ParamType::integer,
                     .min = 1,
                     .max = 1000000,
                     .default_value = int64_t{1},
                     .live = true,
                     .help = "bucket size"},
                    queue(16)}},
        {.name = "bounded",
         .help = "a task per item, at most `limit` units of weight at once (weighted semaphore)",
         .needs_output = false,
         .params = {{.name = "limit",
                     .type = ParamType::integer,
                     .min = 1,
                     .max = 1000000,
                     .default_value = int64_t{8},
                     .help = "semaphore size in weight units"},
                    work(),
                    queue(16)}},
        {.name = "merge",
         .help = "one task selecting over every input; a closed input becomes a nil channel",
         .needs_output = false,
         .min_inputs = 2,
         .params = {queue(4)}},
        {.name = "timeout_consumer",
         .help = "selects between its input and a timer; counts the timeouts",
         .has_output = false,
         .needs_output = false,
         .params = {{.name = "timeout",
                     .type = ParamType::duration,
                     .min = 1e3,
                     .max = ns_per_hour,
                     .default_value = rt::Duration(100ms),
                     .live = true,
                     .help = "how long to wait for an item"},
                    work(true, 1ms),
                    queue(0)}},
        {.name = "sink",
         .help = "consumes items and measures their end-to-end latency",
         .has_output = false,
         .needs_output = false,
         .params = {queue(16)}},
        {.name = "error_group",
         .help = "rounds of N tasks; the first failure cancels the rest",
         .has_output = false,
         .needs_output = false,
         .accepts_input = false,
         .params = {{.name = "tasks",
                     .type = ParamType::integer,
                     .min = 1,
                     .max = 1000,
                     .default_value = int64_t{5},
                     .help = "tasks per round"},
                    work(true, 200ms),
                    {.name = "fail_task",
                     .type = ParamType::integer,
                     .min = 0,
                     .max = 1000,
                     .default_value = int64_t{1},
                     .help = "which task fails (1-based); 0 = none"},
                    {.name = "fail_after",
                     .type = ParamType::duration,
                     .min = 0,
                     .max = ns_per_hour,
                     .default_value = rt::Duration(50ms),
                     .live = true,
                     .help = "when the failing task fails"},
                    {.name = "interval",
                     .type = ParamType::duration,
                     .min = 0,
                     .max = ns_per_hour,
                     .default_value = rt::Duration(500ms),
                     .help = "pause between rounds"}}},
    };
}

}  // namespace

const ParamSpec* NodeKind::find(const std::string& param) const {
    for (const ParamSpec& p : params)
        if (p.name == param) return &p;
    return nullptr;
}

std::string NodeKind::param_names() const {
    std::string out = has_output ? "to" : "";
    for (const ParamSpec& p : params) out += (out.empty() ? "" : ", ") + p.name;
    return out;
}

const std::vector<NodeKind>& node_kinds() {
    static const std::vector<NodeKind> kinds = make_kinds();
    return kinds;
}

const NodeKind* find_node_kind(const std::string& name) {
    for (const NodeKind& k : node_kinds())
        if (k.name == name) return &k;
    return nullptr;
}

std::string node_kind_names() {
    std::string out;
    for (const NodeKind& k : node_kinds()) out += (out.empty() ? "" : ", ") + k.name;
    return out;
}

}  // namespace cs::scenario
