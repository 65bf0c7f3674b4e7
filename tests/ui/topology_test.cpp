// The topology view: a scenario's nodes in layers from its sources, its wiring and references as
// edges, tasks and objects given to the node whose name they carry, channel fill and flow per
// edge from snapshots, and the view drawing and explaining it all on a real run.
#include <gtest/gtest.h>

#include <QImage>
#include <QSet>

#include "main_window.h"
#include "scenario/builtin_scenarios.h"
#include "topology_view.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

const TopologyNode& node_named(const TopologyModel& m, const std::string& name) {
    for (const TopologyNode& n : m.nodes())
        if (n.name == name) return n;
    throw std::runtime_error("no node " + name);
}

const TopologyEdge* edge_between(const TopologyModel& m, const std::string& a,
                                 const std::string& b) {
    for (const TopologyEdge& e : m.edges())
        if (m.nodes()[e.from].name == a && m.nodes()[e.to].name == b) return &e;
    return nullptr;
}

telemetry::ChannelInfo channel(uint64_t id, std::string name, size_t len, size_t cap,
                               uint64_t recvs) {
    return {.id = id,
            .name = std::move(name),
            .len = len,
            .cap = cap,
            .closed = false,
            .internal = false,
            .sends = recvs + len,
            .recvs = recvs,
            .waiting_senders = 0,
            .waiting_receivers = 0,
            .send_blocked_ns = 0,
            .recv_blocked_ns = 0};
}

TEST(TopologyModel, PlacesEachNodeOneLayerRightOfWhatFeedsIt) {
    TopologyModel m(scenario::load_scenario("pipeline"));
    EXPECT_EQ(node_named(m, "generator").layer, 0);
    EXPECT_EQ(node_named(m, "parse").layer, 1);
    EXPECT_EQ(node_named(m, "enrich").layer, 2);
    EXPECT_EQ(node_named(m, "store").layer, 3);
    EXPECT_EQ(m.layer_count(), 4);
    EXPECT_EQ(m.edges().size(), 3u);

    TopologyModel cache(scenario::load_scenario("cache_aside"));
    const TopologyEdge* origin = edge_between(cache, "app", "db");
    ASSERT_NE(origin, nullptr) << "a cache's origin is drawn as a reference";
    EXPECT_TRUE(origin->reference);
    EXPECT_FALSE(edge_between(cache, "requests", "app")->reference);
    EXPECT_EQ(node_named(cache, "db").layer, 2);

    TopologyModel merge(scenario::load_scenario("select_nil_channel"));
    EXPECT_EQ(node_named(merge, "fast").layer, 0);
    EXPECT_EQ(node_named(merge, "slow").layer, 0);
    EXPECT_EQ(node_named(merge, "slow").row, 1) << "two sources share the first column";
    EXPECT_EQ(merge.max_rows(), 2);
}

TEST(TopologyModel, GivesTasksAndObjectsToTheNodeWhoseNameTheyCarry) {
    TopologyModel m(scenario::load_scenario("event_invalidation"));
    auto owner = [&](const std::string& name) {
        const int i = m.owner_of(name);
        return i < 0 ? std::string("(none)") : m.nodes()[i].name;
    };
    EXPECT_EQ(owner("app_a worker 3"), "app_a");
    EXPECT_EQ(owner("janitor app_b"), "app_b");
    EXPECT_EQ(owner("app_b in"), "app_b");
    EXPECT_EQ(owner("db changes to app_a"), "app_a") << "the longest name carried wins";
    EXPECT_EQ(owner("requests_a"), "requests_a");
    EXPECT_EQ(owner("occupancy sampler"), "(none)");
    EXPECT_EQ(owner("app_ab worker 1"), "(none)") << "a name is a whole word, not a prefix";
}

TEST(TopologyModel, ShowsEachEdgesChannelFillAndItsFlowPerSecondOfScenarioTime) {
    TopologyModel m(scenario::load_scenario("worker_pool"));
    telemetry::Snapshot s;
    s.time = rt::TimePoint(std::chrono::seconds(1));
    s.channels = {channel(7, "pool jobs", 12, 16, 1000), channel(8, "results in", 0, 16, 900)};
    s.tasks = {{1, "pool worker 0", rt::TaskState::running, rt::WaitReason::none, 0},
               {2, "pool worker 1", rt::TaskState::blocked, rt::WaitReason::recv, 7},
               {3, "pool worker 2", rt::TaskState::done, rt::WaitReason::none, 0},
               {4, "occupancy sampler", rt::TaskState::blocked, rt::WaitReason::sleep, 0}};
    s.limiters = {{.id = 9,
                   .name = "producer rate",
                   .limit = 100,
                   .burst = 20,
                   .tokens = 3.5,
                   .allowed = 0,
                   .denied = 0,
                   .waited = 0}};
    m.update(s);
    const TopologyEdge* jobs = edge_between(m, "producer", "pool");
    ASSERT_NE(jobs, nullptr);
    EXPECT_EQ(jobs->channel, "pool jobs");
    EXPECT_EQ(jobs->len, 12u);
    EXPECT_EQ(jobs->cap, 16u);
    EXPECT_EQ(jobs->per_second, 0) << "a rate needs two snapshots";
    EXPECT_EQ(edge_between(m, "pool", "results")->channel, "results in");
    const TopologyNode& pool = node_named(m, "pool");
    ASSERT_EQ(pool.tokens.size(), 2u) << "finished tasks leave the node";
    EXPECT_EQ(pool.tokens[1].reason, rt::WaitReason::recv);
    EXPECT_EQ(node_named(m, "producer").detail, "tokens 3.5 / 20");

    // 200 received in the next half second: 400/s, approached by smoothing.
    s.time = rt::TimePoint(std::chrono::milliseconds(1500));
    s.channels[0].recvs = 1200;
    m.update(s);
    const double first = jobs->per_second;
    EXPECT_GT(first, 0);
    EXPECT_LT(first, 400);
    for (int i = 0; i < 40; ++i) {
        s.time += std::chrono::milliseconds(500);
        s.channels[0].recvs += 200;
        m.update(s);
    }
    EXPECT_NEAR(jobs->per_second, 400, 1);

    // Paused: the clock stands still and the rate stays as it was.
    m.update(s);
    EXPECT_NEAR(jobs->per_second, 400, 1);
}

TEST(TopologyModel, FollowsALiveRunsTasksAndFlow) {
    TopologyModel m(scenario::load_scenario("worker_pool"));
    MainWindow w;
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    const auto& spec = *w.run().scenario()->find_node("pool");
    const size_t workers = size_t(spec.integer("workers"));
    const TopologyEdge* jobs = edge_between(m, "producer", "pool");
    EXPECT_TRUE(eventually([&] {
        m.update(*w.engine()->snapshot());
        return node_named(m, "pool").tokens.size() >= workers && jobs->per_second > 0;
    })) << "pool tokens "
        << node_named(m, "pool").tokens.size() << ", flow " << jobs->per_second;
    EXPECT_EQ(jobs->channel, "pool jobs");
    EXPECT_GT(jobs->cap, 0u);
}

TEST(TopologyView, DrawsTheRunningScenarioAndExplainsWhatIsHovered) {
    MainWindow w;
    w.resize(1400, 900);
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    w.show();
    TopologyView* v = w.topology_view();
    ASSERT_EQ(v->model().nodes().size(), 3u);
    ASSERT_TRUE(eventually(
        [&] { return !v->model().edges().empty() && v->model().edges()[0].per_second > 0; }));

    int pool = -1;
    for (size_t i = 0; i < v->model().nodes().size(); ++i)
        if (v->model().nodes()[i].name == "pool") pool = int(i);
    ASSERT_GE(pool, 0);
    const QRectF box = v->node_rect(pool);
    ASSERT_TRUE(v->rect().contains(box.toRect())) << "the node fits in the view";
    const QString tip = v->tooltip_at(box.center());
    EXPECT_TRUE(tip.contains(QStringLiteral("<b>pool</b>"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("tasks"))) << tip.toStdString();

    // The edge into the pool shows its channel when hovered at its fill bar (between the boxes).
    const QRectF producer = v->node_rect(0);
    const QPointF middle((producer.right() + box.left()) / 2,
                         (producer.center().y() + box.center().y()) / 2);
    const QString edge_tip = v->tooltip_at(middle);
    EXPECT_TRUE(edge_tip.contains(QStringLiteral("channel pool jobs"))) << edge_tip.toStdString();

    const QImage image = v->grab().toImage();
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
    EXPECT_GT(colours.size(), 8) << "a real drawing, not a blank view";
}

TEST(TopologyView, ANodeWithMoreTasksThanTokensShowsStateSharesInstead) {
    const scenario::Scenario scenario = scenario::load_scenario("worker_pool");
    TopologyView v;
    v.resize(1200, 500);
    v.show_scenario(&scenario);
    telemetry::Snapshot s;
    for (uint64_t i = 0; i < 10'000; ++i)
        s.tasks.push_back({i + 1, "pool worker " + std::to_string(i),
                           i % 4 == 0 ? rt::TaskState::running : rt::TaskState::blocked,
                           i % 4 == 0 ? rt::WaitReason::none : rt::WaitReason::recv, 0});
    v.show_snapshot(s);
    const QImage image = v.grab().toImage();  // draws the share bar: must not take all day
    EXPECT_FALSE(image.isNull());
    int pool = 1;
    ASSERT_EQ(v.model().nodes()[pool].name, "pool");
    const QString tip = v.tooltip_at(v.node_rect(pool).center());
    EXPECT_TRUE(tip.contains(QStringLiteral("10000 tasks"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("2500 running"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("7500 blocked (recv)"))) << tip.toStdString();
}

TEST(TopologyView, SaysSoWhenNothingRuns) {
    TopologyView v;
    v.resize(400, 200);
    EXPECT_TRUE(v.model().nodes().empty());
    EXPECT_TRUE(v.tooltip_at(QPointF(200, 100)).isEmpty());
    const QImage image = v.grab().toImage();
    EXPECT_FALSE(image.isNull());
}

}  // namespace
}  // namespace cs::ui::test
