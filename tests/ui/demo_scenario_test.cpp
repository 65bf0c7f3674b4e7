// The worker-pool demo on a real engine: it moves jobs end to end, shows the waits it is meant to
// show, and stops cleanly (also while the clock is paused).
#include <gtest/gtest.h>

#include <set>

#include "demo_scenario.h"
#include "task_table_model.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

using app::DemoScenario;
using telemetry::Snapshot;

EngineOptions fast() {
    EngineOptions o;
    o.speed = 10.0;
    return o;
}

std::set<std::string> task_names(const Snapshot& s) {
    std::set<std::string> names;
    for (const auto& t : s.tasks) names.insert(t.name);
    return names;
}

TEST(DemoScenario, MovesJobsFromProducerToCollectorAndStops) {
    Engine engine(fast());
    DemoScenario demo(engine, 3);
    demo.start();
    ASSERT_TRUE(eventually([&] { return demo.collected() >= 10; }, 30s));

    auto s = engine.snapshot();
    EXPECT_EQ(task_names(*s),
              (std::set<std::string>{"producer", "worker-1", "worker-2", "worker-3", "collector"}));
    auto find_channel = [&](const std::string& name) -> const telemetry::ChannelInfo* {
        for (const auto& c : s->channels) {
            if (c.name == name) return &c;
        }
        return nullptr;
    };
    ASSERT_NE(find_channel("jobs"), nullptr);
    EXPECT_EQ(find_channel("jobs")->cap, 8u);
    ASSERT_NE(find_channel("results"), nullptr);
    EXPECT_EQ(find_channel("results")->cap, 4u);
    ASSERT_EQ(s->semaphores.size(), 1u);
    EXPECT_EQ(s->semaphores[0].name, "db-slots");
    EXPECT_EQ(s->semaphores[0].size, 2);
    ASSERT_EQ(s->limiters.size(), 1u);
    EXPECT_EQ(s->limiters[0].name, "producer-rate");
    EXPECT_FALSE(s->deadlock.has_value());

    demo.stop();
    EXPECT_FALSE(demo.running());
    EXPECT_TRUE(demo.errors().empty());
    EXPECT_TRUE(engine.task_errors().empty());
    EXPECT_TRUE(eventually([&] { return engine.live_tasks() == 0; }));
    EXPECT_GE(demo.produced(), demo.collected());
    demo.stop();  // idempotent
}

TEST(DemoScenario, TheTableShowsWhatTheTasksWaitOn) {
    Engine engine(fast());
    DemoScenario demo(engine, 4);
    demo.start();
    TaskTableModel model;
    std::set<QString> seen;
    auto saw_everything = [&] {
        model.update(engine.snapshot());
        for (int r = 0; r < model.rowCount(); ++r) {
            seen.insert(model.data(model.index(r, TaskTableModel::waiting_on_column)).toString());
        }
        return seen.count("sleep") && seen.count("recv chan results") &&
               seen.count("recv chan jobs");
    };
    EXPECT_TRUE(eventually(saw_everything, 30s))
        << "seen: " << QStringList(seen.begin(), seen.end()).join(", ").toStdString();
    EXPECT_EQ(model.rowCount(), 6);
    demo.stop();
}

TEST(DemoScenario, StopsWhileTheClockIsPaused) {
    Engine engine;
    DemoScenario demo(engine);
    demo.start();
    ASSERT_TRUE(eventually([&] { return demo.produced() >= 1; }));
    engine.pause();
    demo.stop();  // every wait also selects on the context, so this returns although time stands
    EXPECT_TRUE(demo.errors().empty());
    EXPECT_TRUE(eventually([&] { return engine.live_tasks() == 0; }));
}

TEST(DemoScenario, RefusesBadWorkerCountsAndASecondStart) {
    Engine engine;
    EXPECT_THROW(DemoScenario(engine, 0), rt::InvalidArgument);
    EXPECT_THROW(DemoScenario(engine, 65), rt::InvalidArgument);
    DemoScenario demo(engine, 1);
    demo.start();
    EXPECT_THROW(demo.start(), rt::UsageError);
}

}  // namespace
}  // namespace cs::ui::test
