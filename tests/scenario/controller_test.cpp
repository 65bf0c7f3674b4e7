#include <gtest/gtest.h>

#include <thread>

#include "runtime/errors.h"
#include "scenario/builtin_scenarios.h"
#include "scenario/controller.h"
#include "scenario/scenario_loader.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;
using scenario::Controller;
using scenario::RunOptions;
using scenario::ScenarioReport;
using scenario::StopMode;

RunOptions at_speed(double speed) {
    RunOptions o;
    o.speed = speed;
    return o;
}

// Runs until `scenario_time` has passed on the scenario clock (at 10x), then drains.
ScenarioReport run_for(Controller& c, rt::Duration scenario_time) {
    c.start();
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (c.elapsed() < scenario_time && !c.finished() &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(2ms);
    EXPECT_TRUE(c.stop(StopMode::drain, 10s));
    return c.report();
}

void expect_consistent(const ScenarioReport& r) {
    EXPECT_GT(r.elapsed, rt::Duration(0));
    EXPECT_TRUE(r.task_errors.empty()) << r.task_errors.front();
    uint64_t moved = 0;
    for (const auto& n : r.nodes) {
        SCOPED_TRACE(n.name);
        moved += n.output;
        EXPECT_GE(n.throughput, 0.0);
        for (double u : n.utilization) {
            EXPECT_GE(u, 0.0);
            EXPECT_LE(u, 1.0);
        }
        for (const auto& g : n.gauges) {
            EXPECT_LE(g.mean, double(g.max) + 1e-9);
            if (g.label == "queue") {
                EXPECT_LE(g.max, g.capacity);
            }
        }
        if (n.kind == "pool") {
            EXPECT_LE(n.counter("completed"), n.counter("accepted"));
            EXPECT_EQ(n.counter("completed") + n.counter("failed") + n.counter("left"),
                      n.counter("accepted"))
                << "after a drain every accepted job has ended";
        }
        if (n.kind == "source") {
            EXPECT_LE(n.counter("accepted") + n.counter("dropped") + n.counter("rejected"),
                      n.counter("produced"));
        }
        if (n.kind == "cache") {
            EXPECT_EQ(n.counter("reads") + n.counter("writes"), n.counter("requests"));
            // Every read is a hit or a miss (a failed read is a miss too).
            EXPECT_EQ(n.counter("hits") + n.counter("misses"), n.counter("reads"));
            EXPECT_LE(n.counter("stale_served"), n.counter("misses"));
            for (const auto& [name, ratio] : n.ratios) {
                EXPECT_GE(ratio, 0.0) << name;
                EXPECT_LE(ratio, 1.0) << name;
            }
        }
        if (n.latency && n.latency->count > 0) {
            EXPECT_LE(n.latency->p50, n.latency->p90);
            EXPECT_LE(n.latency->p90, n.latency->p99);
            EXPECT_LE(n.latency->p99, n.latency->max);
        }
    }
    EXPECT_GT(moved, 0u) << "nothing moved";
}

class BuiltinScenarios : public testing::TestWithParam<std::string> {};

TEST_P(BuiltinScenarios, RunHeadlessAndReportConsistentFigures) {
    auto scenario = scenario::load_scenario(GetParam());
    Controller c(scenario, at_speed(10));
    ScenarioReport r = run_for(c, 1500ms);
    expect_consistent(r);
    EXPECT_EQ(r.stop, "drain");  // 1.5 s is before done_cancellation's cancel_after
    EXPECT_TRUE(c.finished());
    EXPECT_EQ(c.engine().live_tasks(), 0u) << "a task outlived the scenario";
    EXPECT_FALSE(scenario::to_text(r).empty());
}

std::vector<std::string> builtin_names() {
    std::vector<std::string> names;
    for (const auto& b : scenario::builtin_scenarios()) names.emplace_back(b.name);
    return names;
}

INSTANTIATE_TEST_SUITE_P(All, BuiltinScenarios, testing::ValuesIn(builtin_names()),
                         [](const auto& info) { return info.param; });

TEST(BuiltinScenarioLibrary, HasOneFilePerTaughtPattern) {
    std::vector<std::string> expected = {"cache_aside",
                                         "distributed_rate_limit",
                                         "done_cancellation",
                                         "error_group",
                                         "event_invalidation",
                                         "eviction_policies",
                                         "fan_out_fan_in",
                                         "near_cache_invalidation",
                                         "pipeline",
                                         "rate_limit_burst",
                                         "read_through",
                                         "redis_cache_aside",
                                         "redis_partitioning",
                                         "refresh_ahead",
                                         "select_default",
                                         "select_nil_channel",
                                         "select_timeout",
                                         "semaphore_weighted",
                                         "stampede",
                                         "ttl_expiry",
                                         "version_invalidation",
                                         "worker_pool",
                                         "write_behind",
                                         "write_through"};
    EXPECT_EQ(builtin_names(), expected);
    for (const auto& name : expected)
        EXPECT_FALSE(scenario::load_scenario(name).description.empty());
}

TEST(Controller, NilChannelMergeDeliversEverySourceItemAndFinishesByItself) {
    Controller c(scenario::load_scenario("select_nil_channel"), at_speed(10));
    c.start();
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!c.finished() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(5ms);
    ASSERT_TRUE(c.finished());
    auto r = c.report();
    EXPECT_EQ(r.find("merge")->output, 180u);
    EXPECT_EQ(r.find("results")->counter("received"), 180u);
}

TEST(Controller, SelectTimeoutCountsTheWaitsTheTimerWon) {
    auto s = scenario::load_scenario("select_timeout");
    Controller c(s, at_speed(10));
    auto r = run_for(c, 3s);
    const auto* consumer = r.find("consumer");
    EXPECT_GT(consumer->counter("timeouts"), 0u);  // 8 items/s against a 100 ms timeout
    EXPECT_GT(consumer->counter("received"), 0u);
    EXPECT_EQ(consumer->counter("received"), r.find("slow_producer")->counter("accepted"));
}

TEST(Controller, SelectDefaultDropsInsteadOfBlockingWhenTheQueueIsFull) {
    Controller c(scenario::load_scenario("select_default"), at_speed(10));
    auto r = run_for(c, 3s);
    const auto* pool = r.find("pool");
    EXPECT_GT(pool->counter("dropped"), 0u);  // 300 jobs/s offered to ~200 jobs/s of workers
    EXPECT_EQ(pool->counter("completed"), pool->counter("accepted"));
    EXPECT_EQ(r.find("producer")->counter("dropped"), pool->counter("dropped"));
}

// Building a scenario binds the building thread to its engine only while it builds: afterwards
// the thread follows the latest engine again, so objects it makes after the controller is gone
// do not register with a destroyed engine.
TEST(Controller, LeavesTheBuildingThreadUnboundOnceBuilt) {
    Engine before;
    {
        Controller c(scenario::load_scenario("worker_pool"), at_speed(10));
        c.start();
        EXPECT_EQ(Engine::bind_current_thread(nullptr), nullptr);
    }
    Engine after;
    EXPECT_EQ(Engine::current(), &after);
}

TEST(Controller, CancelAfterStopsEverythingAndCountsWhatWasLeft) {
    auto s = scenario::load_scenario("done_cancellation");
    s.cancel_after = 300ms;
    Controller c(s, at_speed(10));
    c.start();
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!c.finished() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(2ms);
    ASSERT_TRUE(c.finished());
    auto r = c.report();
    EXPECT_EQ(r.stop, "cancel_after");
    const auto* pool = r.find("pool");
    EXPECT_EQ(pool->counter("completed") + pool->counter("failed") + pool->counter("left"),
              pool->counter("accepted"));
    EXPECT_EQ(c.engine().live_tasks(), 0u);
}

TEST(Controller, LiveParametersApplyWithinTheirRangeOnly) {
    Controller c(scenario::load_scenario("worker_pool"), at_speed(10));
    c.start();
    c.set_param("pool", "workers", 8);
    EXPECT_EQ(c.param("pool", "workers"), 8);
    c.set_param("pool", "work", 5e6);  // mean 5ms
    EXPECT_EQ(c.param("pool", "work"), 5e6);
    try {
        c.set_param("pool", "workers", 40);
        FAIL();
    } catch (const rt::InvalidArgument& e) {
        EXPECT_STREQ(e.what(), "pool.workers: 40 is out of range (allowed: 1 .. 32)");
    }
    try {
        c.set_param("pool", "queue", 4);
        FAIL();
    } catch (const rt::InvalidArgument& e) {
        EXPECT_STREQ(e.what(),
                     "pool.queue is not a live parameter of this scenario (live: producer.rate, "
                     "pool.workers, "
                     "pool.work)");
    }
    EXPECT_THROW(c.set_param("pool", "workers", 2.5), rt::InvalidArgument);
    EXPECT_EQ(c.param("pool", "workers"), 8);  // refused values change nothing
    std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(c.stop(StopMode::drain, 10s));
    auto r = c.report();
    EXPECT_EQ(r.find("pool")->utilization.size(), 8u);  // four more workers were started
}

TEST(Controller, PauseFreezesScenarioTime) {
    Controller c(scenario::load_scenario("worker_pool"), at_speed(1));
    c.start();
    std::this_thread::sleep_for(50ms);
    c.pause();
    rt::Duration at_pause = c.elapsed();
    // Work whose wait ended just before the pause may still finish (a job handed to the sink);
    // once it has, nothing that waits on time moves.
    uint64_t settled = c.report().find("results")->output;
    for (int i = 0; i < 100; ++i) {
        std::this_thread::sleep_for(20ms);
        uint64_t now = c.report().find("results")->output;
        if (now == settled) break;
        settled = now;
    }
    std::this_thread::sleep_for(150ms);
    EXPECT_LT(c.elapsed() - at_pause, rt::Duration(5ms));
    EXPECT_EQ(c.report().find("results")->output, settled);
    c.resume();
    EXPECT_TRUE(c.stop(StopMode::cancel, 10s));
    EXPECT_EQ(c.engine().live_tasks(), 0u);
}

TEST(Controller, RejectsASpeedOutsideItsRange) {
    EXPECT_THROW(Controller(scenario::load_scenario("worker_pool"), at_speed(20)),
                 rt::InvalidArgument);
}

TEST(Controller, UnknownBuiltinNamesTheOnesThatExist) {
    std::string names;  // the library itself is checked by HasOneFilePerTaughtPattern
    for (const auto& n : builtin_names()) names += (names.empty() ? "" : ", ") + n;
    try {
        scenario::load_scenario("worker_poll");
        FAIL();
    } catch (const scenario::ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "worker_poll: no such file, and no built-in scenario of that name (built-in: " +
                      names + ")");
    }
}

TEST(ScenarioReportText, ListsAFewWorkersUtilizationAndSummarisesMany) {
    ScenarioReport few, many;
    scenario::NodeReport pool;
    pool.name = "pool";
    pool.kind = "pool";
    pool.utilization = {0.5, 0.25};
    few.nodes = {pool};
    EXPECT_NE(scenario::to_text(few).find("utilization  50% 25%"), std::string::npos)
        << scenario::to_text(few);
    pool.utilization.assign(10'000, 0.7);
    pool.utilization[3] = 0.1;
    pool.utilization[9] = 0.9;
    many.nodes = {pool};
    EXPECT_NE(
        scenario::to_text(many).find("utilization  mean 70% over 10000 workers (min 10%, max 90%)"),
        std::string::npos)
        << scenario::to_text(many).substr(0, 400);
}

}  // namespace
}  // namespace cs::test
