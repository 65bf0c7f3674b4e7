#include <atomic>
#include <set>
#include <thread>

#include "test_support.h"

namespace cs::test {
namespace {

TEST(Scheduler, SpawnsManyTasksFromATaskAndJoinsThemAll) {
    Engine engine;
    constexpr int64_t tasks = 200'000;
    std::atomic<int64_t> ran{0};
    run_task(engine, [&]() -> Task<> {
        rt::WaitGroup wg;
        wg.add(tasks);
        for (int64_t i = 0; i < tasks; ++i) {
            engine.go("t", [&]() -> Task<> {
                ran.fetch_add(1);
                wg.done();
                co_return;
            });
        }
        co_await wg.wait();
    });
    EXPECT_EQ(ran.load(), tasks);
    EXPECT_TRUE(eventually([&] { return engine.live_tasks() == 0; }));
}

}  // namespace
}  // namespace cs::test

namespace cs::test {
namespace {

TEST(Scheduler, TaskThatThrowsIsReportedAndTheRuntimeKeepsRunning) {
    Engine engine;
    engine.go("faulty", []() -> Task<> {
        throw std::runtime_error("boom");
        co_return;
    });
    ASSERT_TRUE(eventually([&] { return engine.task_errors().size() == 1; }));
    auto err = engine.task_errors()[0];
    EXPECT_EQ(err.task_name, "faulty");
    EXPECT_EQ(err.what, "boom");
    // A joinable one rethrows to its joiner.
    auto h = engine.spawn("faulty-joined", []() -> Task<> {
        throw std::logic_error("bad");
        co_return;
    });
    EXPECT_THROW(h.wait(), std::logic_error);
    int ran = 0;
    run_task(engine, [&]() -> Task<> {
        ++ran;
        co_return;
    });
    EXPECT_EQ(ran, 1);
    EXPECT_EQ(engine.snapshot()->task_errors, 2u);
}

TEST(Scheduler, JoinFromATaskWaitsAndRethrows) {
    Engine engine;
    run_task(engine, [&]() -> Task<> {
        auto ok = engine.spawn("child", []() -> Task<> { co_await rt::sleep_for(1ms); });
        co_await ok.join();
        EXPECT_TRUE(ok.done());
        auto bad = engine.spawn("bad-child", []() -> Task<> {
            co_await rt::sleep_for(1ms);
            throw std::runtime_error("child failed");
        });
        bool caught = false;
        try {
            co_await bad.join();
        } catch (const std::runtime_error& e) {
            caught = std::string(e.what()) == "child failed";
        }
        EXPECT_TRUE(caught);
    });
}

TEST(Scheduler, NestedTaskAwaitsReturnValuesAndExceptions) {
    Engine engine;
    struct Helpers {
        static Task<int> twice(int v) { co_return 2 * v; }
        static Task<int> deep(int depth) {
            if (depth == 0) co_return 0;
            co_return 1 + co_await deep(depth - 1);
        }
        static Task<> fails() {
            throw std::runtime_error("nested");
            co_return;
        }
    };
    run_task(engine, [&]() -> Task<> {
        EXPECT_EQ(co_await Helpers::twice(21), 42);
        EXPECT_EQ(co_await Helpers::deep(10000), 10000);
        EXPECT_THROW(co_await Helpers::fails(), std::runtime_error);
    });
}

TEST(Scheduler, BusyTasksRunOnEveryWorker) {
    Engine engine;
    if (engine.scheduler().worker_count() < 2) GTEST_SKIP() << "one core";
    engine.telemetry().start_recording();
    std::vector<rt::JoinHandle> hs;
    for (int i = 0; i < 8; ++i) {
        hs.push_back(engine.spawn("spinner", []() -> Task<> {
            auto end = std::chrono::steady_clock::now() + 20ms;  // CPU work, never parks
            while (std::chrono::steady_clock::now() < end) {
            }
            co_return;
        }));
    }
    for (auto& h : hs) h.wait();
    std::set<uint32_t> workers;
    for (const auto& e : engine.telemetry().stop_recording()) {
        if (e.kind == telemetry::EventKind::task_run) workers.insert(e.aux);
    }
    EXPECT_EQ(workers.size(), static_cast<size_t>(engine.scheduler().worker_count()));
}

TEST(Scheduler, TaskHandedOffBehindABusyTaskStillRunsOnAnotherWorker) {
    Engine engine;
    if (engine.scheduler().worker_count() < 2) GTEST_SKIP() << "one core";
    Chan<int> ch(0, "handoff");
    std::atomic<bool> b_ran{false}, b_parked{false}, b_ran_while_a_busy{false};
    auto b = engine.spawn("B", [&, ch]() -> Task<> {
        b_parked = true;
        co_await ch.recv();
        b_ran = true;
    });
    ASSERT_TRUE(eventually([&] {
        return b_parked.load() && engine.snapshot()->count_in_state(rt::TaskState::blocked) == 1;
    }));
    auto a = engine.spawn("A", [&, ch]() -> Task<> {
        co_await ch.send(1);  // B goes to this worker's runnext, and no idle worker is woken ...
        auto give_up = std::chrono::steady_clock::now() + 10s;
        while (!b_ran.load() && std::chrono::steady_clock::now() < give_up) {
        }  // ... while A keeps this worker busy: the monitor must send another worker for B
        b_ran_while_a_busy = b_ran.load();
    });
    a.wait();
    b.wait();
    EXPECT_TRUE(b_ran_while_a_busy.load());
}

TEST(Scheduler, BlockingCallsRunOffTheWorkersAndParkTheTask) {
    Engine engine;
    std::atomic<bool> release{false};
    auto h = engine.spawn("io", [&]() -> Task<> {
        int v = co_await rt::blocking([&] {
            while (!release.load()) std::this_thread::sleep_for(1ms);
            return 7;
        });
        EXPECT_EQ(v, 7);
        EXPECT_THROW(co_await rt::blocking([]() -> int { throw std::runtime_error("io failed"); }),
                     std::runtime_error);
    });
    ASSERT_TRUE(eventually([&] {
        auto s = engine.snapshot();
        return !s->tasks.empty() && s->tasks.front().reason == rt::WaitReason::io &&
               s->blocking_in_flight == 1;
    }));
    // The workers are free meanwhile: other tasks run.
    run_task(engine, []() -> Task<> { co_await rt::sleep_for(1ms); });
    EXPECT_FALSE(engine.deadlock().has_value());
    release = true;
    h.wait();
}

TEST(Scheduler, EngineDestructionEndsParkedTasksAndJoinersSeeAnError) {
    rt::JoinHandle h;
    {
        Engine engine;
        Chan<int> never(0, "never");
        h = engine.spawn("stuck", [=]() mutable -> Task<> { co_await never.recv(); });
        ASSERT_TRUE(eventually(
            [&] { return engine.snapshot()->count_in_state(rt::TaskState::blocked) == 1; }));
    }
    EXPECT_TRUE(h.done());
    EXPECT_THROW(h.wait(), rt::UsageError);
}

}  // namespace
}  // namespace cs::test
