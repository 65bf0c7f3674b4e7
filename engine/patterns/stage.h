#pragma once
// A pipeline stage: `workers` tasks take items from `input`, run the handler on each, and send
// the results to the stage's output channel, which is closed when the input is closed and
// every item is through, or when `ctx` is cancelled.
//
//  - unordered: items leave in the order they finish;
//  - ordered: a dispatcher numbers items as they arrive and a reorder task holds early
//    finishers back, so items leave in arrival order (the cost: head-of-line waiting).
//
// A pipeline is stages chained by their channels:
//
//   Chan<Item> parsed = run_stage(engine, source, {.name = "parse", .workers = 2}, parse, ctx);
//   Chan<Item> done = run_stage(engine, parsed, {.name = "enrich", .ordered = true}, enrich, ctx);
//
// Cancelling ctx ends every task of every stage (none is left parked). Thread-safe.
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "engine.h"
#include "patterns/item.h"
#include "patterns/latency_histogram.h"
#include "runtime/channel.h"
#include "runtime/context.h"

namespace cs::patterns {

struct StageOptions {
    std::string name = "stage";
    int workers = 1;       // >= 1
    size_t capacity = 16;  // output channel
    bool ordered = false;
};

// What a stage did; shared with its tasks, readable at any time.
struct StageCounters {
    std::atomic<uint64_t> in{0}, out{0}, failed{0};
    std::atomic<int64_t> busy_ns{0};  // clock time summed over workers
    // Per worker: sized by the stage before its workers start (a deque: atomics stay in place).
    std::deque<std::atomic<int64_t>> worker_busy_ns;
    LatencyHistogram latency;  // handler time per item
};

using ItemHandler = std::function<rt::Task<rt::Status>(Item&, const rt::Context&)>;

// Starts the stage's tasks and returns its output. `counters` may be null.
rt::Chan<Item> run_stage(Engine& engine, rt::Chan<Item> input, StageOptions options,
                         ItemHandler handler, rt::Context ctx,
                         std::shared_ptr<StageCounters> counters = nullptr);

}  // namespace cs::patterns
