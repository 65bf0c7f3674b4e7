#include "test_support.h"

namespace cs::test {
namespace {

TEST(Deadlock, UnbufferedSendWithNoReceiverIsReported) {
    Engine engine;
    Chan<int> jobs(0, "jobs");
    engine.go("lonely-sender", [=]() mutable -> Task<> { co_await jobs.send(1); });
    auto report = engine.wait_for_deadlock(10s);
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->waiters.size(), 1u);
    EXPECT_EQ(report->waiters[0].task_name, "lonely-sender");
    EXPECT_EQ(report->waiters[0].reason, rt::WaitReason::send);
    EXPECT_EQ(report->waiters[0].object_name, "chan jobs");
    std::string text = report->to_string();
    EXPECT_NE(text.find("all tasks are asleep"), std::string::npos);
    EXPECT_NE(text.find("'lonely-sender': blocked on send chan jobs"), std::string::npos);
    EXPECT_TRUE(engine.snapshot()->deadlock.has_value());
}

TEST(Deadlock, CycleBetweenTwoTasksNamesBoth) {
    Engine engine;
    Chan<int> a_to_b(0, "a->b"), b_to_a(0, "b->a");
    engine.go("A", [=]() mutable -> Task<> {
        co_await b_to_a.recv();  // waits for B first ...
        co_await a_to_b.send(1);
    });
    engine.go("B", [=]() mutable -> Task<> {
        co_await a_to_b.recv();  // ... while B waits for A
        co_await b_to_a.send(1);
    });
    auto report = engine.wait_for_deadlock(10s);
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->waiters.size(), 2u);
    EXPECT_EQ(report->waiters[0].task_name, "A");
    EXPECT_EQ(report->waiters[0].object_name, "chan b->a");
    EXPECT_EQ(report->waiters[1].task_name, "B");
    EXPECT_EQ(report->waiters[1].object_name, "chan a->b");
    EXPECT_EQ(report->waiters[1].reason, rt::WaitReason::recv);
}

TEST(Deadlock, IsClearedWhenAnOutsideThreadUnblocksATask) {
    Engine engine;
    Chan<int> ch(0, "ch");
    auto h = engine.spawn("receiver", [=]() mutable -> Task<> { co_await ch.recv(); });
    ASSERT_TRUE(engine.wait_for_deadlock(10s).has_value());
    ch.send_blocking(1);
    h.wait();
    EXPECT_TRUE(eventually([&] { return !engine.deadlock().has_value(); }));
}

TEST(Deadlock, SleepingTasksAreNotDeadlocked) {
    Engine engine;
    Chan<int> ch(0, "ch");
    engine.pause();  // the sleeper's timer cannot fire until resume()
    engine.go("sleeper", [=]() -> Task<> { co_await rt::sleep_for(10ms); });
    engine.go("receiver", [=]() mutable -> Task<> { co_await ch.recv(); });
    // While the timer is armed, nothing is reported; once it fires and the sleeper ends, the
    // receiver alone is deadlocked.
    EXPECT_FALSE(engine.wait_for_deadlock(200ms).has_value());
    engine.resume();
    auto report = engine.wait_for_deadlock(10s);
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->waiters.size(), 1u);
    EXPECT_EQ(report->waiters[0].task_name, "receiver");
}

}  // namespace
}  // namespace cs::test
