#include <atomic>

#include "test_support.h"

namespace cs::test {
namespace {

EngineOptions deterministic() {
    return EngineOptions{.deterministic = true};
}

TEST(Timers, SleepAdvancesVirtualTimeExactly) {
    Engine engine(deterministic());
    run_task(engine, [&]() -> Task<> {
        rt::TimePoint t0 = engine.clock().now();
        co_await rt::sleep_for(40ms);
        EXPECT_EQ(engine.clock().now() - t0, rt::Duration(40ms));
        co_await rt::sleep_for(0ms);  // returns at once
        co_await rt::sleep_for(-5ms);
        EXPECT_EQ(engine.clock().now() - t0, rt::Duration(40ms));
    });
}

TEST(Timers, ConcurrentSleepersWakeInDeadlineOrder) {
    Engine engine(deterministic());
    std::vector<int> order;
    // Spawned from one root task: in deterministic mode virtual time jumps as soon as the worker
    // is idle, so an outside thread spawning one by one would race with it.
    run_task(engine, [&]() -> Task<> {
        rt::WaitGroup wg;
        wg.add(3);
        for (int ms : {30, 10, 20}) {
            engine.go("sleeper", [&, ms]() -> Task<> {
                co_await rt::sleep_for(std::chrono::milliseconds(ms));
                order.push_back(ms);
                wg.done();
            });
        }
        co_await wg.wait();
    });
    EXPECT_EQ(order, (std::vector<int>{10, 20, 30}));
}

TEST(Timers, AfterDeliversTheClockTimeOnce) {
    Engine engine(deterministic());
    run_task(engine, [&]() -> Task<> {
        rt::TimePoint t0 = engine.clock().now();
        auto r = co_await rt::after(75ms).recv();
        EXPECT_TRUE(r.ok);
        EXPECT_EQ(r.value - t0, rt::Duration(75ms));
    });
}

TEST(Timers, TickerTicksEveryPeriodAndStops) {
    Engine engine(deterministic());
    run_task(engine, [&]() -> Task<> {
        rt::Ticker ticker(10ms, "tick");
        rt::TimePoint t0 = engine.clock().now();
        for (int i = 1; i <= 5; ++i) {
            auto r = co_await ticker.chan().recv();
            EXPECT_EQ(r.value - t0, rt::Duration(std::chrono::milliseconds(10 * i)));
        }
        ticker.stop();
        EXPECT_EQ(engine.timers().pending(), 0u);
    });
}

TEST(Timers, TimerFiresOnceAndStopDisarmsIt) {
    Engine engine(deterministic());
    run_task(engine, [&]() -> Task<> {
        rt::TimePoint t0 = engine.clock().now();
        rt::Timer fires(20ms);
        auto r = co_await fires.chan().recv();
        EXPECT_EQ(r.value - t0, rt::Duration(20ms));
        EXPECT_FALSE(fires.stop());  // already fired

        rt::Timer stopped(1h);
        EXPECT_EQ(engine.timers().pending(), 1u);
        EXPECT_TRUE(stopped.stop());
        EXPECT_EQ(engine.timers().pending(), 0u);
        EXPECT_FALSE(stopped.chan().try_recv().has_value());
    });
}

TEST(Timers, CancelledWaitsLeaveNoTimerArmed) {
    Engine engine;
    auto [ctx, cancel] = rt::with_cancel(rt::Context::background());
    rt::RateLimiter rl(0.001, 1, "very-slow");
    ASSERT_TRUE(rl.allow());
    auto sleeper =
        engine.spawn("sleeper", [ctx = ctx]() -> Task<> { co_await rt::sleep_for(ctx, 1h); });
    auto waiter = engine.spawn("waiter", [&, ctx = ctx]() -> Task<> { co_await rl.wait(ctx, 1); });
    ASSERT_TRUE(eventually([&] { return engine.timers().pending() == 2; }));
    cancel();
    sleeper.wait();
    waiter.wait();
    EXPECT_EQ(engine.timers().pending(), 0u);  // nothing left to hold off deadlock detection
}

TEST(Timers, AfterTimersStillPendingAtShutdownAreFreed) {
    // Run under the asan preset this is a leak check; everywhere it checks shutdown is clean.
    Engine engine;
    run_task(engine, []() -> Task<> {
        for (int i = 0; i < 10; ++i)
            co_await rt::select(rt::recv_case(rt::after(1h)), rt::default_case());
    });
    EXPECT_EQ(engine.timers().pending(), 10u);
    auto snap = engine.snapshot();
    ASSERT_EQ(snap->channels.size(), 10u);
    for (const auto& c : snap->channels) EXPECT_TRUE(c.internal) << c.name;
}

TEST(Timers, TickerRejectsNonPositivePeriod) {
    Engine engine(deterministic());
    EXPECT_THROW(rt::Ticker(0ms), rt::InvalidArgument);
}

TEST(Timers, SlowSpeedStretchesRealTimeAndPauseFreezesTimers) {
    Engine engine;
    engine.set_speed(0.5);
    // At half speed, 100 ms of clock time take 200 ms of real time.
    auto real = engine.clock().real_time_until(engine.clock().now() + 100ms);
    ASSERT_TRUE(real.has_value());
    EXPECT_NEAR((std::chrono::duration<double, std::milli>(*real).count()), 200.0, 1.0);

    std::atomic<bool> woke{false};
    engine.pause();
    engine.go("sleeper", [&]() -> Task<> {
        co_await rt::sleep_for(10ms);
        woke = true;
    });
    ASSERT_TRUE(
        eventually([&] { return engine.snapshot()->count_in_state(rt::TaskState::blocked) == 1; }));
    std::this_thread::sleep_for(50ms);  // real time passes; clock time does not
    EXPECT_FALSE(woke.load());
    auto stepped_to = engine.step();  // single step: to the sleeper's deadline
    ASSERT_TRUE(stepped_to.has_value());
    EXPECT_TRUE(eventually([&] { return woke.load(); }));
    engine.resume();
}

}  // namespace
}  // namespace cs::test
