#include "patterns/stage.h"

#include <map>

#include "patterns/or_done.h"
#include "runtime/errors.h"
#include "runtime/wait_group.h"

namespace cs::patterns {

using rt::Chan;
using rt::Context;
using rt::Status;
using rt::Task;

namespace {

// An item with its arrival number in this stage (ordered mode).
struct Numbered {
    uint64_t n = 0;
    Item item;
    bool passed = false;  // false: the handler failed it; the reorderer skips its number
};

// Runs the handler on one item and counts it. A handler that throws fails its item only.
Task<Status> handle(const ItemHandler& handler, Item& item, const Context& ctx, StageCounters& c,
                    Engine& engine, int worker) {
    c.in.fetch_add(1);
    auto start = engine.clock().now();
    Status st = Status::ok;
    bool threw = false;
    try {
        st = co_await handler(item, ctx);
    } catch (const std::exception&) {
        threw = true;
    }
    auto took = engine.clock().now() - start;
    c.busy_ns.fetch_add(took.count());
    c.worker_busy_ns[static_cast<size_t>(worker)].fetch_add(took.count());
    if (threw) {
        c.failed.fetch_add(1);
        co_return Status::cancelled;
    }
    if (st == Status::ok)
        c.latency.record(took);
    else if (!ctx.cancelled())
        c.failed.fetch_add(1);
    co_return st;
}

}  // namespace

Chan<Item> run_stage(Engine& engine, Chan<Item> input, StageOptions options, ItemHandler handler,
                     Context ctx, std::shared_ptr<StageCounters> counters) {
    if (options.workers < 1) rt::throw_out_of_range("stage workers", options.workers, "1 ..");
    if (!counters) counters = std::make_shared<StageCounters>();
    Chan<Item> out(static_cast<long long>(options.capacity), options.name + " out");
    auto running = std::make_shared<rt::WaitGroup>();
    running->add(options.workers);
    auto shared_handler = std::make_shared<ItemHandler>(std::move(handler));
    counters->worker_busy_ns.clear();
    for (int i = 0; i < options.workers; ++i) counters->worker_busy_ns.emplace_back(0);

    if (!options.ordered) {
        for (int i = 0; i < options.workers; ++i) {
            engine.go(options.name + " worker " + std::to_string(i),
                      [&engine, i, input, out, ctx, counters, running, shared_handler]() -> Task<> {
                          while (auto item = co_await recv_or_done(input, ctx)) {
                              if (co_await handle(*shared_handler, *item, ctx, *counters, engine,
                                                  i) != Status::ok)
                                  continue;
                              if (!co_await send_or_done(out, *item, ctx)) break;
                              counters->out.fetch_add(1);
                          }
                          running->done();
                      });
        }
        engine.go(options.name + " closer", [out, running]() -> Task<> {
            co_await running->wait();
            out.close();
        });
        return out;
    }

    // Ordered: dispatcher -> workers -> reorderer.
    Chan<Numbered> numbered(static_cast<long long>(options.workers), options.name + " numbered");
    Chan<Numbered> finished(static_cast<long long>(options.workers), options.name + " finished");
    engine.go(options.name + " dispatcher", [input, numbered, ctx]() -> Task<> {
        for (uint64_t n = 0;; ++n) {
            auto item = co_await recv_or_done(input, ctx);
            if (!item || !co_await send_or_done(numbered, Numbered{n, *item, false}, ctx)) break;
        }
        numbered.close();
    });
    for (int i = 0; i < options.workers; ++i) {
        engine.go(
            options.name + " worker " + std::to_string(i),
            [&engine, i, numbered, finished, ctx, counters, running, shared_handler]() -> Task<> {
                while (auto job = co_await recv_or_done(numbered, ctx)) {
                    job->passed = co_await handle(*shared_handler, job->item, ctx, *counters,
                                                  engine, i) == Status::ok;
                    if (ctx.cancelled() || !co_await send_or_done(finished, *job, ctx)) break;
                }
                running->done();
            });
    }
    engine.go(options.name + " closer", [finished, running]() -> Task<> {
        co_await running->wait();
        finished.close();
    });
    engine.go(options.name + " reorder", [finished, out, ctx, counters]() -> Task<> {
        std::map<uint64_t, Numbered> early;  // finished before their turn
        uint64_t next = 0;
        while (auto job = co_await recv_or_done(finished, ctx)) {
            early.emplace(job->n, std::move(*job));
            for (auto it = early.find(next); it != early.end(); it = early.find(++next)) {
                Numbered ready = std::move(it->second);
                early.erase(it);
                if (!ready.passed) continue;
                if (!co_await send_or_done(out, ready.item, ctx)) {
                    out.close();
                    co_return;
                }
                counters->out.fetch_add(1);
            }
        }
        out.close();
    });
    return out;
}

}  // namespace cs::patterns
