#include <vector>

#include "pattern_test_support.h"
#include "patterns/stage.h"
#include "patterns/work_distribution.h"

namespace cs::test {
namespace {

using patterns::Item;
using patterns::StageCounters;
using patterns::StageOptions;
using rt::Context;
using rt::Status;

Chan<Item> generate(Engine& engine, int count, const Context& ctx) {
    Chan<Item> out(4, "generated");
    engine.go("generator", [=]() -> Task<> {
        for (int i = 0; i < count; ++i) {
            Item item{.id = uint64_t(i + 1), .seq = uint64_t(i), .value = i};
            if (co_await rt::select(rt::send_case(out, item), rt::recv_case(ctx.done())) != 0)
                break;
        }
        out.close();
    });
    return out;
}

// Work whose duration varies per item, so that items finish out of order.
patterns::ItemHandler jittery_work(int64_t add) {
    return [add](Item& item, const Context& ctx) -> Task<Status> {
        item.value += add;
        co_return co_await rt::sleep_for(ctx, std::chrono::microseconds((item.id * 7919) % 500));
    };
}

std::vector<uint64_t> run_pipeline(bool ordered, int items) {
    Engine engine;
    std::vector<uint64_t> seqs;
    auto counters = std::make_shared<StageCounters>();
    run_task(engine, [&]() -> Task<> {
        Context ctx = Context::background();
        Chan<Item> a =
            patterns::run_stage(engine, generate(engine, items, ctx),
                                {.name = "parse", .workers = 4, .capacity = 4, .ordered = ordered},
                                jittery_work(1000), ctx, counters);
        Chan<Item> b =
            patterns::run_stage(engine, a, {.name = "enrich", .workers = 3, .ordered = ordered},
                                jittery_work(1000000), ctx);
        while (auto r = co_await b.recv()) {
            EXPECT_EQ(r.value.value, int64_t(r.value.seq) + 1001000);  // both stages ran once
            seqs.push_back(r.value.seq);
        }
    });
    EXPECT_EQ(counters->in.load(), uint64_t(items));
    EXPECT_EQ(counters->out.load(), uint64_t(items));
    EXPECT_EQ(counters->worker_busy_ns.size(), 4u);
    int64_t per_worker = 0;
    for (const auto& w : counters->worker_busy_ns) per_worker += w.load();
    EXPECT_EQ(per_worker, counters->busy_ns.load());
    EXPECT_TRUE(eventually(
        [&] { return tasks_named(engine, "parse") + tasks_named(engine, "enrich") == 0; }));
    return seqs;
}

TEST(Stage, OrderedPipelineKeepsArrivalOrder) {
    std::vector<uint64_t> seqs = run_pipeline(true, 300);
    ASSERT_EQ(seqs.size(), 300u);
    for (uint64_t i = 0; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], i);
}

TEST(Stage, UnorderedPipelineDeliversEverythingOnce) {
    std::vector<uint64_t> seqs = run_pipeline(false, 300);
    ASSERT_EQ(seqs.size(), 300u);
    std::sort(seqs.begin(), seqs.end());
    for (uint64_t i = 0; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], i);
}

TEST(Stage, FailedItemsAreCountedAndSkippedInOrderedMode) {
    Engine engine;
    std::vector<uint64_t> seqs;
    auto counters = std::make_shared<StageCounters>();
    run_task(engine, [&]() -> Task<> {
        Context ctx = Context::background();
        Chan<Item> out = patterns::run_stage(
            engine, generate(engine, 50, ctx), {.name = "picky", .workers = 3, .ordered = true},
            [](Item& item, const Context&) -> Task<Status> {
                if (item.seq % 5 == 0) throw std::runtime_error("no multiples of five");
                co_return item.seq % 7 == 0 ? Status::deadline_exceeded : Status::ok;
            },
            ctx, counters);
        while (auto r = co_await out.recv()) seqs.push_back(r.value.seq);
    });
    std::vector<uint64_t> expected;
    for (uint64_t i = 0; i < 50; ++i)
        if (i % 5 != 0 && i % 7 != 0) expected.push_back(i);
    EXPECT_EQ(seqs, expected);
    EXPECT_EQ(counters->failed.load(), 50u - expected.size());
}

TEST(Stage, CancellationStopsEveryStageAndLeaksNoTask) {
    for (bool ordered : {false, true}) {
        Engine engine;
        auto [ctx, cancel] = rt::with_cancel(Context::background());
        size_t received = 0;
        run_task(engine, [&, ctx = ctx, cancel = cancel]() -> Task<> {
            Chan<Item> a = patterns::run_stage(engine, generate(engine, 1'000'000, ctx),
                                               {.name = "s1", .workers = 3, .ordered = ordered},
                                               jittery_work(1), ctx);
            Chan<Item> b = patterns::run_stage(
                engine, a, {.name = "s2", .workers = 2, .ordered = ordered}, jittery_work(1), ctx);
            while (auto r = co_await b.recv()) {
                if (++received == 20) cancel();
            }
        });
        EXPECT_GE(received, 20u);
        EXPECT_LT(received, 1'000'000u);
        EXPECT_TRUE(eventually([&] { return engine.snapshot()->tasks.empty(); }))
            << "ordered=" << ordered << ": " << engine.snapshot()->tasks.size() << " tasks left";
    }
}

}  // namespace
}  // namespace cs::test
