#include <atomic>
#include <thread>

#include "test_support.h"

namespace cs::test {
namespace {

using rt::RateLimiter;
using rt::Status;

TEST(RateLimiter, RejectsNonPositiveRateAndBurstWithTheRange) {
    Engine engine;
    try {
        RateLimiter bad(0.0, 5, "bad");
        FAIL();
    } catch (const rt::InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("rate limit: 0"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("allowed: > 0"), std::string::npos);
    }
    EXPECT_THROW(RateLimiter(-1.0, 5), rt::InvalidArgument);
    EXPECT_THROW(RateLimiter(std::nan(""), 5), rt::InvalidArgument);
    EXPECT_THROW(RateLimiter(10.0, 0), rt::InvalidArgument);
    RateLimiter ok(10.0, 2, "ok");
    EXPECT_THROW(ok.allow(0), rt::InvalidArgument);
    EXPECT_THROW(ok.set_burst(-1), rt::InvalidArgument);
    EXPECT_THROW(ok.set_limit(0), rt::InvalidArgument);
}

TEST(RateLimiter, AllowSpendsTheBurstThenRefillsAtTheRate) {
    Engine engine(EngineOptions{.deterministic = true});
    run_task(engine, [&]() -> Task<> {
        RateLimiter rl(10.0, 3, "api");  // one token per 100 ms
        EXPECT_DOUBLE_EQ(rl.tokens(), 3.0);
        EXPECT_TRUE(rl.allow());
        EXPECT_TRUE(rl.allow(2));
        EXPECT_FALSE(rl.allow());
        co_await rt::sleep_for(100ms);
        EXPECT_NEAR(rl.tokens(), 1.0, 1e-9);
        EXPECT_TRUE(rl.allow());
        EXPECT_FALSE(rl.allow());
        EXPECT_EQ(rl.allowed(), 3u);
        EXPECT_EQ(rl.denied(), 2u);
    });
}

TEST(RateLimiter, WaitWithNAboveBurstFailsAtOnce) {
    Engine engine(EngineOptions{.deterministic = true});
    run_task(engine, [&]() -> Task<> {
        RateLimiter rl(100.0, 5, "api");
        rt::TimePoint t0 = engine.clock().now();
        EXPECT_EQ(co_await rl.wait(rt::Context::background(), 6), Status::exceeds_burst);
        EXPECT_EQ(engine.clock().now(), t0);
    });
}

TEST(RateLimiter, WaitParksUntilTheTokenIsDue) {
    Engine engine(EngineOptions{.deterministic = true});
    run_task(engine, [&]() -> Task<> {
        RateLimiter rl(4.0, 1, "slow");  // 250 ms per token
        rt::TimePoint t0 = engine.clock().now();
        for (int i = 0; i < 4; ++i)
            EXPECT_EQ(co_await rl.wait(rt::Context::background(), 1), Status::ok);
        EXPECT_EQ(engine.clock().now() - t0, rt::Duration(750ms));  // the first is the burst
    });
}

TEST(RateLimiter, WaitThatWouldOutlastTheDeadlineFailsAtOnce) {
    Engine engine(EngineOptions{.deterministic = true});
    run_task(engine, [&]() -> Task<> {
        RateLimiter rl(1.0, 1, "slow");
        EXPECT_TRUE(rl.allow());
        auto [ctx, cancel] = rt::with_timeout(rt::Context::background(), 100ms);
        EXPECT_EQ(co_await rl.wait(ctx, 1), Status::would_exceed_deadline);
        EXPECT_NEAR(rl.tokens(), 0.0, 1e-9);  // nothing was reserved
    });
}

TEST(RateLimiter, CancelledWhileWaitingGivesTheTokenBack) {
    Engine engine;
    RateLimiter rl(1.0, 1, "slow");
    ASSERT_TRUE(rl.allow());
    auto [ctx, cancel] = rt::with_cancel(rt::Context::background());
    std::atomic<int> status{-1};
    auto h = engine.spawn("waiter", [&, ctx = ctx]() -> Task<> {
        status = static_cast<int>(co_await rl.wait(ctx, 1));
    });
    ASSERT_TRUE(eventually([&] {
        auto s = engine.snapshot();
        return !s->tasks.empty() && s->tasks.front().reason == rt::WaitReason::limiter;
    }));
    EXPECT_LT(rl.tokens(), 0.0);  // the waiter's reservation is outstanding
    cancel();
    h.wait();
    EXPECT_EQ(status.load(), static_cast<int>(Status::cancelled));
    EXPECT_GE(rl.tokens(), 0.0);  // ... and was given back
}

TEST(RateLimiter, ReserveReportsDelayAndCancelRestores) {
    Engine engine(EngineOptions{.deterministic = true});
    run_task(engine, [&]() -> Task<> {
        RateLimiter rl(10.0, 2, "r");
        auto a = rl.reserve(2);
        EXPECT_TRUE(a.ok());
        EXPECT_EQ(a.delay(), rt::Duration(0));
        auto b = rl.reserve(1);
        EXPECT_EQ(b.delay(), rt::Duration(100ms));
        b.cancel();
        EXPECT_NEAR(rl.tokens(), 0.0, 1e-9);
        EXPECT_FALSE(rl.reserve(3).ok());  // more than the burst: never
        co_return;
    });
}

TEST(RateLimiter, SetLimitAndBurstApplyWhileRunning) {
    Engine engine(EngineOptions{.deterministic = true});
    run_task(engine, [&]() -> Task<> {
        RateLimiter rl(1.0, 10, "live");
        for (int i = 0; i < 10; ++i) EXPECT_TRUE(rl.allow());
        rl.set_limit(100.0);
        co_await rt::sleep_for(50ms);
        EXPECT_NEAR(rl.tokens(), 5.0, 1e-9);
        rl.set_burst(2);
        EXPECT_NEAR(rl.tokens(), 2.0, 1e-9);
        EXPECT_EQ(rl.burst(), 2);
        EXPECT_DOUBLE_EQ(rl.limit(), 100.0);
    });
}

// Admitted over an interval = burst + rate x elapsed, within 1%, with tasks waiting on it.
TEST(RateLimiter, AdmitsBurstPlusRateTimesElapsedWithWaitingTasks) {
    Engine engine(EngineOptions{.deterministic = true});
    RateLimiter rl(200.0, 20, "accuracy");
    std::atomic<long> admitted{0};
    constexpr auto interval = 10s;
    run_task(engine, [&]() -> Task<> {  // one root task: deterministic runs start from one
        rt::TimePoint start = engine.clock().now();
        rt::WaitGroup clients;
        clients.add(4);
        for (int t = 0; t < 4; ++t) {
            engine.go("client", [&]() -> Task<> {
                while (co_await rl.wait(rt::Context::background(), 1) == Status::ok) {
                    if (engine.clock().now() - start > interval) break;
                    admitted.fetch_add(1);
                }
                clients.done();
            });
        }
        co_await clients.wait();
    });
    double expected = 20 + 200.0 * std::chrono::duration<double>(interval).count();
    EXPECT_NEAR(static_cast<double>(admitted.load()), expected, expected * 0.01);
}

// The same on the real clock, with a thread calling allow() as fast as it can. The burst covers
// 200 ms of refill: a bucket that fills up while the thread is descheduled loses what overflows
// (that is what a token bucket does), and the formula holds only while demand is continuous.
// So the test counts time up to its last call only, and takes off what a pause longer than
// 200 ms between two calls let overflow: a loaded CI machine does deschedule a thread.
TEST(RateLimiter, AdmitsBurstPlusRateTimesElapsedOnTheRealClock) {
    Engine engine;
    RateLimiter rl(5000.0, 1000, "real");
    const double refill_window = 1000 / 5000.0;  // seconds to refill the burst
    rt::TimePoint start = engine.clock().now();
    rt::TimePoint previous = start;
    long admitted = 0;
    double overflowed = 0;
    for (;;) {
        rt::TimePoint now = engine.clock().now();
        if (now - start >= rt::Duration(300ms)) break;
        double pause = std::chrono::duration<double>(now - previous).count();
        overflowed += 5000.0 * std::max(0.0, pause - refill_window);
        previous = now;
        if (rl.allow()) ++admitted;
    }
    // Up to the last call: a pause after it (before the loop saw the time was up) asked for
    // nothing and so refilled nothing that counts.
    double elapsed = std::chrono::duration<double>(previous - start).count();
    double expected = 1000 + 5000.0 * elapsed - overflowed;
    EXPECT_NEAR(static_cast<double>(admitted), expected, expected * 0.01);
}

}  // namespace
}  // namespace cs::test
