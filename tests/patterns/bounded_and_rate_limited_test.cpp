#include <atomic>
#include <set>

#include "pattern_test_support.h"
#include "patterns/bounded_parallelism.h"
#include "patterns/rate_limited_stage.h"

namespace cs::test {
namespace {

using patterns::Item;
using patterns::StageCounters;
using rt::Context;
using rt::Status;

Chan<Item> weighted_items(Engine& engine, int count) {
    Chan<Item> out(8, "items");
    engine.go("items", [=]() -> Task<> {
        for (int i = 0; i < count; ++i)
            co_await out.send(Item{.id = uint64_t(i + 1), .seq = uint64_t(i), .weight = 1 + i % 4});
        out.close();
    });
    return out;
}

TEST(BoundedParallelism, NeverRunsMoreWeightThanTheLimit) {
    Engine engine;
    std::atomic<int64_t> in_use{0}, peak{0};
    std::set<uint64_t> done;
    auto sem = std::make_shared<rt::Semaphore>(6, "budget");
    auto counters = std::make_shared<StageCounters>();
    run_task(engine, [&]() -> Task<> {
        Chan<Item> out = patterns::run_bounded(
            engine, weighted_items(engine, 200), sem, 4, "bounded",
            [&](Item& item, const Context& ctx) -> Task<Status> {
                int64_t now = in_use.fetch_add(item.weight) + item.weight;
                int64_t seen = peak.load();
                while (now > seen && !peak.compare_exchange_weak(seen, now)) {
                }
                Status st = co_await rt::sleep_for(ctx, 200us);
                in_use.fetch_sub(item.weight);
                co_return st;
            },
            Context::background(), counters);
        while (auto r = co_await out.recv()) done.insert(r.value.id);
    });
    EXPECT_EQ(done.size(), 200u);
    EXPECT_LE(peak.load(), 6);
    EXPECT_GE(peak.load(), 4);  // it did run items side by side
    EXPECT_EQ(counters->out.load(), 200u);
    EXPECT_EQ(sem->held(), 0);
}

TEST(BoundedParallelism, AnItemHeavierThanTheLimitFailsAlone) {
    Engine engine;
    auto sem = std::make_shared<rt::Semaphore>(2, "small");
    auto counters = std::make_shared<StageCounters>();
    size_t passed = 0;
    run_task(engine, [&]() -> Task<> {
        Chan<Item> out = patterns::run_bounded(
            engine, weighted_items(engine, 8), sem, 8, "bounded",
            [](Item&, const Context&) -> Task<Status> { co_return Status::ok; },
            Context::background(), counters);
        while (co_await out.recv()) ++passed;
    });
    EXPECT_EQ(passed, 4u);  // weights 1 and 2 fit; 3 and 4 exceed the semaphore's size
    EXPECT_EQ(counters->failed.load(), 4u);
}

TEST(RateLimitedStage, ForwardsEverythingAndWaitsOnTheBucket) {
    Engine engine;
    auto limiter = std::make_shared<rt::RateLimiter>(500.0, 5, "pace");
    size_t passed = 0;
    run_task(engine, [&]() -> Task<> {
        Chan<Item> out = patterns::run_rate_limited(engine, weighted_items(engine, 40), limiter, 4,
                                                    "pacer", Context::background());
        while (co_await out.recv()) ++passed;
    });
    EXPECT_EQ(passed, 40u);
    EXPECT_EQ(limiter->allowed(), 40u);
    EXPECT_GE(limiter->waited(), 25u);  // beyond the burst of 5, items waited for tokens
}

TEST(RateLimitedStage, CancellationEndsAWaitingStage) {
    Engine engine;
    auto limiter = std::make_shared<rt::RateLimiter>(0.5, 1, "slow");
    auto [ctx, cancel] = rt::with_timeout(Context::background(), 20ms);
    size_t passed = 0;
    run_task(engine, [&, ctx = ctx]() -> Task<> {
        Chan<Item> out = patterns::run_rate_limited(engine, weighted_items(engine, 10), limiter, 4,
                                                    "pacer", ctx);
        while (co_await out.recv()) ++passed;
    });
    EXPECT_EQ(passed, 1u);  // the burst; the next token is two seconds away
    EXPECT_TRUE(eventually([&] { return tasks_named(engine, "pacer") == 0; }));
}

}  // namespace
}  // namespace cs::test
