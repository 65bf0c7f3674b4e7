#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.h"

namespace cs::test {
namespace {

using telemetry::EventKind;

TEST(Telemetry, SnapshotListsTasksChannelsLimitersAndSemaphores) {
    Engine engine;
    Chan<int> jobs(4, "jobs");
    rt::RateLimiter limiter(50.0, 5, "api");
    rt::Semaphore slots(3, "slots");
    run_task(engine, [&]() -> Task<> {
        co_await jobs.send(1);
        co_await jobs.send(2);
        co_await slots.acquire(2);
        EXPECT_TRUE(limiter.allow(4));
    });
    engine.go("parked", [=]() mutable -> Task<> {
        Chan<int> never(0, "never");
        co_await never.recv();
    });
    ASSERT_TRUE(
        eventually([&] { return engine.snapshot()->count_in_state(rt::TaskState::blocked) == 1; }));
    auto s = engine.snapshot();
    ASSERT_EQ(s->tasks.size(), 1u);
    EXPECT_EQ(s->tasks[0].name, "parked");
    EXPECT_EQ(s->tasks[0].state, rt::TaskState::blocked);
    EXPECT_EQ(s->tasks[0].reason, rt::WaitReason::recv);
    const auto* ch = s->find_channel(jobs.id());
    ASSERT_NE(ch, nullptr);
    EXPECT_EQ(ch->len, 2u);
    EXPECT_EQ(ch->cap, 4u);
    EXPECT_EQ(ch->sends, 2u);
    EXPECT_EQ(ch->recvs, 0u);
    ASSERT_EQ(s->limiters.size(), 1u);
    EXPECT_EQ(s->limiters[0].name, "api");
    EXPECT_EQ(s->limiters[0].burst, 5);
    EXPECT_LT(s->limiters[0].tokens, 5.0);
    EXPECT_EQ(s->limiters[0].allowed, 1u);
    ASSERT_EQ(s->semaphores.size(), 1u);
    EXPECT_EQ(s->semaphores[0].held, 2);
    EXPECT_EQ(s->semaphores[0].size, 3);
    EXPECT_EQ(s->workers, engine.scheduler().worker_count());
    EXPECT_GT(s->seq, 0u);
}

TEST(Telemetry, EventsTellTheStoryOfATask) {
    Engine engine;
    engine.telemetry().start_recording();
    Chan<int> ch(0, "ch");
    auto h = engine.spawn("receiver", [=]() -> Task<> { co_await ch.recv(); });
    ASSERT_TRUE(
        eventually([&] { return engine.snapshot()->count_in_state(rt::TaskState::blocked) == 1; }));
    ch.send_blocking(1);
    h.wait();
    std::vector<EventKind> story;
    for (const auto& e : engine.telemetry().stop_recording()) {
        if (e.task == h.id()) story.push_back(e.kind);
    }
    std::vector<EventKind> expected{EventKind::task_spawn, EventKind::task_run,
                                    EventKind::task_block, EventKind::task_run,
                                    EventKind::task_done};
    EXPECT_EQ(story, expected);
}

TEST(Telemetry, SnapshotsCarryTheEventsSinceThePreviousOne) {
    Engine engine;
    engine.snapshot();  // from here on, each snapshot takes what happened since the last
    run_task(
        engine, []() -> Task<> { co_return; }, "short");
    std::vector<EventKind> seen;
    ASSERT_TRUE(eventually([&] {
        auto snap = engine.snapshot();
        for (const auto& e : snap->events) seen.push_back(e.kind);
        return std::count(seen.begin(), seen.end(), EventKind::task_done) == 1;
    }));
    EXPECT_EQ(std::count(seen.begin(), seen.end(), EventKind::task_spawn), 1);
    EXPECT_TRUE(engine.snapshot()->events.empty() ||
                engine.snapshot()->events.front().kind != EventKind::task_spawn);
}

TEST(Telemetry, BlockedTimeIsChargedToTheChannel) {
    Engine engine(EngineOptions{.deterministic = true});
    Chan<int> ch(0, "slow");
    run_task(engine, [&]() -> Task<> {
        engine.go("late-sender", [=]() mutable -> Task<> {
            co_await rt::sleep_for(5ms);
            co_await ch.send(1);
        });
        co_await ch.recv();
    });
    auto s = engine.snapshot();
    const auto* info = s->find_channel(ch.id());
    ASSERT_NE(info, nullptr);
    EXPECT_GT(info->recv_blocked_ns, 0);
}

TEST(Telemetry, OffRecordsNoEventsButKeepsCountersExact) {
    EngineOptions options;
    options.telemetry.level = telemetry::Level::off;
    Engine engine(options);
    Chan<int> ch(2, "quiet");
    run_task(engine, [=]() mutable -> Task<> {
        for (int i = 0; i < 100; ++i) {
            co_await ch.send(i);
            co_await ch.recv();
        }
    });
    auto s = engine.snapshot();
    EXPECT_TRUE(s->events.empty());
    const auto* info = s->find_channel(ch.id());
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->sends, 100u);
    EXPECT_EQ(info->recvs, 100u);
}

TEST(Telemetry, FullRingsDropAndCountInsteadOfWaiting) {
    EngineOptions options;
    options.telemetry.ring_capacity = 64;
    options.collect_interval = std::chrono::hours(1);  // nobody drains during the run
    Engine engine(options);
    Chan<int> ch(0, "busy");
    engine.go("ponger", [=]() mutable -> Task<> {
        for (int i = 0; i < 1000; ++i) co_await ch.send(i);
    });
    run_task(engine, [=]() mutable -> Task<> {
        for (int i = 0; i < 1000; ++i) co_await ch.recv();
    });
    EXPECT_GT(engine.telemetry().dropped(), 0u);
    EXPECT_EQ(engine.snapshot()->find_channel(ch.id())->recvs, 1000u);
}

TEST(Telemetry, RecordingsAndRecentEventsComeInTimeOrderAcrossThreads) {
    // The first thread's ring is drained first, but its event happened last.
    telemetry::Telemetry tel;
    tel.start_recording();
    auto record_at = [&](int64_t ticks) {
        std::thread([&] {
            tel.record(EventKind::task_run, 1, 0, rt::WaitReason::none, 0, ticks);
        }).join();
    };
    record_at(300);
    record_at(100);
    record_at(200);
    std::vector<int64_t> recent, recorded;
    for (const auto& e : tel.take_recent()) recent.push_back(e.ticks);
    for (const auto& e : tel.stop_recording()) recorded.push_back(e.ticks);
    EXPECT_EQ(recent, (std::vector<int64_t>{100, 200, 300}));
    EXPECT_EQ(recorded, (std::vector<int64_t>{100, 200, 300}));
}

TEST(Telemetry, ChromeTraceHasNamedTracksSlicesAndFlows) {
    EngineOptions options;
    options.telemetry.level = telemetry::Level::trace;
    Engine engine(options);
    engine.start_trace();
    Chan<int> ch(0, "pipe");
    engine.go("producer", [=]() mutable -> Task<> {
        for (int i = 0; i < 10; ++i) co_await ch.send(i);
        ch.close();
    });
    run_task(
        engine,
        [=]() mutable -> Task<> {
            while (co_await ch.recv()) {
            }
        },
        "consumer");
    std::ostringstream out;
    engine.stop_trace(out);
    nlohmann::json trace = nlohmann::json::parse(out.str());  // throws if malformed
    const auto& events = trace.at("traceEvents");
    bool named_producer = false, running_slice = false, blocked_slice = false;
    int flow_starts = 0, flow_ends = 0;
    for (const auto& e : events) {
        std::string ph = e.at("ph");
        std::string name = e.value("name", "");
        if (ph == "M" && name == "thread_name" &&
            e["args"]["name"].get<std::string>().rfind("producer", 0) == 0)
            named_producer = true;
        if (ph == "X" && name == "running") running_slice = true;
        if (ph == "X" && name.rfind("blocked: ", 0) == 0 &&
            name.find("chan pipe") != std::string::npos)
            blocked_slice = true;
        if (ph == "s") ++flow_starts;
        if (ph == "f") ++flow_ends;
    }
    EXPECT_TRUE(named_producer);
    EXPECT_TRUE(running_slice);
    EXPECT_TRUE(blocked_slice);
    EXPECT_EQ(flow_starts, 10);
    EXPECT_EQ(flow_ends, 10);
}

TEST(Telemetry, ATraceStoppedWhileTasksLiveEndsEachOnesLastSliceThere) {
    Engine engine;
    engine.start_trace();
    Chan<int> never(0, "never");
    for (int i = 0; i < 5; ++i)
        engine.go("waiter " + std::to_string(i),
                  [=]() mutable -> Task<> { co_await never.recv(); });
    ASSERT_TRUE(engine.wait_for_deadlock(std::chrono::seconds(10)).has_value());
    std::ostringstream out;
    engine.stop_trace(out);  // five slices still open: each ends at the last event
    nlohmann::json trace = nlohmann::json::parse(out.str());
    int open_waits = 0;
    for (const auto& e : trace.at("traceEvents"))
        if (e.at("ph") == "X" && e.value("name", "").find("chan never") != std::string::npos)
            ++open_waits;
    EXPECT_EQ(open_waits, 5);
    never.close();
}

}  // namespace
}  // namespace cs::test
