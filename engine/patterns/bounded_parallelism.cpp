#include "patterns/bounded_parallelism.h"

#include "patterns/or_done.h"
#include "runtime/wait_group.h"

namespace cs::patterns {

using rt::Chan;
using rt::Status;
using rt::Task;

Chan<Item> run_bounded(Engine& engine, Chan<Item> input, std::shared_ptr<rt::Semaphore> semaphore,
                       size_t capacity, std::string name, ItemHandler handler, rt::Context ctx,
                       std::shared_ptr<StageCounters> counters) {
    if (!counters) counters = std::make_shared<StageCounters>();
    Chan<Item> out(static_cast<long long>(capacity), name + " out");
    auto shared_handler = std::make_shared<ItemHandler>(std::move(handler));
    engine.go(name + " dispatcher",
              [&engine, input, out, semaphore, name, shared_handler, ctx, counters]() -> Task<> {
                  // Shared: an item task may still be inside done() when the dispatcher's wait
                  // returns.
                  auto running = std::make_shared<rt::WaitGroup>();
                  uint64_t n = 0;
                  while (auto next = co_await recv_or_done(input, ctx)) {
                      Item item = *next;
                      counters->in.fetch_add(1);
                      if (co_await semaphore->acquire(ctx, item.weight) != Status::ok) {
                          if (!ctx.cancelled())
                              counters->failed.fetch_add(1);  // heavier than the whole semaphore
                          if (ctx.cancelled()) break;
                          continue;
                      }
                      running->add(1);
                      engine.go(name + " item " + std::to_string(n++),
                                [&engine, item, out, semaphore, shared_handler, ctx, counters,
                                 running]() mutable -> Task<> {
                                    auto start = engine.clock().now();
                                    Status st = Status::ok;
                                    try {
                                        st = co_await (*shared_handler)(item, ctx);
                                    } catch (const std::exception&) {
                                        st = Status::cancelled;
                                    }
                                    auto took = engine.clock().now() - start;
                                    counters->busy_ns.fetch_add(took.count());
                                    semaphore->release(item.weight);
                                    if (st == Status::ok) {
                                        counters->latency.record(took);
                                        if (co_await send_or_done(out, item, ctx))
                                            counters->out.fetch_add(1);
                                    } else if (!ctx.cancelled()) {
                                        counters->failed.fetch_add(1);
                                    }
                                    running->done();
                                });
                  }
                  co_await running->wait();
                  out.close();
              });
    return out;
}

}  // namespace cs::patterns
