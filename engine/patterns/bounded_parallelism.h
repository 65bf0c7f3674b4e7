#pragma once
// Bounded parallelism with a weighted semaphore (x/sync/semaphore's example): every item gets a
// task of its own, but only after acquiring item.weight units, so at most `limit` units of work
// run at once however many items arrive. Heavy items wait for room; FIFO keeps them from
// starving behind light ones.
//
//   auto sem = std::make_shared<rt::Semaphore>(10, "cpu");
//   Chan<Item> done = run_bounded(engine, items, sem, 16, "render", render, ctx);
//
// The output closes when the input is closed and every item's task has ended, or on
// cancellation. Thread-safe.
#include <memory>
#include <string>

#include "engine.h"
#include "patterns/stage.h"
#include "runtime/semaphore.h"

namespace cs::patterns {

rt::Chan<Item> run_bounded(Engine& engine, rt::Chan<Item> input,
                           std::shared_ptr<rt::Semaphore> semaphore, size_t capacity,
                           std::string name, ItemHandler handler, rt::Context ctx,
                           std::shared_ptr<StageCounters> counters = nullptr);

}  // namespace cs::patterns
