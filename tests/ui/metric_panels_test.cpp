// The chart docks: cache hit ratio, hits and misses, load latency and removals by cause; rate
// limiter tokens against burst and decisions per second; semaphore units and waiters — from
// snapshots made by hand (exact values) and from real runs of the lessons.
#include <gtest/gtest.h>

#include <QDockWidget>

#include "cache_panel.h"
#include "limiter_panel.h"
#include "main_window.h"
#include "semaphore_panel.h"
#include "time_series_chart.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

telemetry::Snapshot at_seconds(double s) {
    telemetry::Snapshot snapshot;
    snapshot.time =
        rt::TimePoint(std::chrono::duration_cast<rt::Duration>(std::chrono::duration<double>(s)));
    return snapshot;
}

telemetry::CacheInfo cache_info(uint64_t hits, uint64_t misses, uint64_t expired, uint64_t loads) {
    telemetry::CacheInfo c{
        .id = 3, .name = "app", .policy = "lru", .capacity = 100, .stats = {}, .load_latency = {}};
    c.stats.hits = hits;
    c.stats.misses = misses;
    c.stats.removals[size_t(cache::RemovalCause::expired)] = expired;
    c.load_latency.count = loads;
    c.load_latency.p50 = std::chrono::milliseconds(20);
    c.load_latency.p99 = std::chrono::milliseconds(40);
    return c;
}

double last_y(const TimeSeriesChart* chart, const QString& series) {
    const QList<QPointF> points = chart->points(series);
    return points.isEmpty() ? -1 : points.back().y();
}

TEST(CachePanel, ChartsRatesAndRatiosBetweenSnapshots) {
    CachePanel panel;
    panel.set_min_interval(std::chrono::milliseconds(0));
    EXPECT_FALSE(panel.has_data());

    telemetry::Snapshot first = at_seconds(1);
    first.caches = {cache_info(0, 0, 0, 0)};
    panel.show_snapshot(first);
    EXPECT_TRUE(panel.has_data());
    EXPECT_TRUE(panel.hit_ratio()->points(QStringLiteral("app")).isEmpty()) << "rates need two";

    telemetry::Snapshot second = at_seconds(3);  // two seconds later
    second.caches = {cache_info(180, 20, 10, 20)};
    panel.show_snapshot(second);
    EXPECT_DOUBLE_EQ(last_y(panel.hit_ratio(), QStringLiteral("app")), 90);
    EXPECT_DOUBLE_EQ(last_y(panel.requests(), QStringLiteral("app hits")), 90);
    EXPECT_DOUBLE_EQ(last_y(panel.requests(), QStringLiteral("app misses")), 10);
    EXPECT_DOUBLE_EQ(last_y(panel.load_latency(), QStringLiteral("app p50")), 20);
    EXPECT_DOUBLE_EQ(last_y(panel.load_latency(), QStringLiteral("app p99")), 40);
    EXPECT_DOUBLE_EQ(last_y(panel.removals(), QStringLiteral("app expired")), 5);
    EXPECT_FALSE(panel.removals()->series_names().contains(QStringLiteral("app size")))
        << "a cause that never happened has no line";

    // A paused clock adds nothing.
    panel.show_snapshot(second);
    EXPECT_EQ(panel.hit_ratio()->points(QStringLiteral("app")).size(), 1);

    panel.clear();
    EXPECT_FALSE(panel.has_data());
    EXPECT_TRUE(panel.hit_ratio()->series_names().isEmpty());
}

TEST(CachePanel, ChartsAtMostFiveTimesASecondOfRealTime) {
    CachePanel panel;
    for (int i = 1; i <= 20; ++i) {  // 20 snapshots in much less than a second
        telemetry::Snapshot s = at_seconds(i);
        s.caches = {cache_info(uint64_t(10 * i), uint64_t(i), 0, 0)};
        panel.show_snapshot(s);
    }
    EXPECT_LE(panel.hit_ratio()->points(QStringLiteral("app")).size(), 2);
}

TEST(LimiterPanel, ChartsTokensAgainstBurstAndDecisionsPerSecond) {
    LimiterPanel panel;
    panel.set_min_interval(std::chrono::milliseconds(0));
    auto limiter = [](double tokens, uint64_t allowed, uint64_t denied) {
        return telemetry::LimiterInfo{.id = 4,
                                      .name = "limiter",
                                      .limit = 50,
                                      .burst = 10,
                                      .tokens = tokens,
                                      .allowed = allowed,
                                      .denied = denied,
                                      .waited = 0};
    };
    const telemetry::LimiterInfo unlimited{.id = 5,
                                           .name = "free",
                                           .limit = INFINITY,
                                           .burst = 0,
                                           .tokens = 0,
                                           .allowed = 0,
                                           .denied = 0,
                                           .waited = 0};
    telemetry::Snapshot a = at_seconds(1);
    a.limiters = {limiter(7.5, 0, 0), unlimited};
    panel.show_snapshot(a);
    telemetry::Snapshot b = at_seconds(1.5);
    b.limiters = {limiter(-2, 25, 5), unlimited};
    panel.show_snapshot(b);
    EXPECT_DOUBLE_EQ(last_y(panel.tokens(), QStringLiteral("limiter")), 0) << "owed is empty";
    EXPECT_DOUBLE_EQ(panel.tokens()->points(QStringLiteral("limiter")).front().y(), 7.5);
    EXPECT_DOUBLE_EQ(last_y(panel.tokens(), QStringLiteral("limiter burst")), 10);
    EXPECT_DOUBLE_EQ(last_y(panel.decisions(), QStringLiteral("limiter allowed")), 50);
    EXPECT_DOUBLE_EQ(last_y(panel.decisions(), QStringLiteral("limiter denied")), 10);
    EXPECT_FALSE(panel.tokens()->series_names().contains(QStringLiteral("free")));

    LimiterPanel none;
    none.set_min_interval(std::chrono::milliseconds(0));
    telemetry::Snapshot only_unlimited = at_seconds(1);
    only_unlimited.limiters = {unlimited};
    none.show_snapshot(only_unlimited);
    EXPECT_FALSE(none.has_data());
}

TEST(SemaphorePanel, ChartsUnitsHeldAgainstSizeAndWaiters) {
    SemaphorePanel panel;
    panel.set_min_interval(std::chrono::milliseconds(0));
    telemetry::Snapshot s = at_seconds(2);
    s.semaphores = {{.id = 6,
                     .name = "render budget",
                     .size = 8,
                     .held = 6,
                     .waiters = 3,
                     .acquisitions = 10,
                     .blocked_ns = 0}};
    panel.show_snapshot(s);
    EXPECT_TRUE(panel.has_data());
    EXPECT_DOUBLE_EQ(last_y(panel.held(), QStringLiteral("render budget")), 6);
    EXPECT_DOUBLE_EQ(last_y(panel.held(), QStringLiteral("render budget size")), 8);
    EXPECT_DOUBLE_EQ(last_y(panel.waiters(), QStringLiteral("render budget")), 3);
}

TEST(MetricPanels, FollowRealLessonsAndBringTheirChartForward) {
    MainWindow w;
    w.show();
    ASSERT_TRUE(w.open_scenario(QStringLiteral("cache_aside")));
    EXPECT_TRUE(eventually(
        [&] { return w.cache_panel()->hit_ratio()->points(QStringLiteral("app")).size() >= 2; }));
    EXPECT_FALSE(w.findChild<QDockWidget*>(QStringLiteral("cache_dock"))->visibleRegion().isEmpty())
        << "a cache lesson shows the cache charts";

    ASSERT_TRUE(w.open_scenario(QStringLiteral("rate_limit_burst")));
    EXPECT_TRUE(w.cache_panel()->hit_ratio()->series_names().isEmpty()) << "a new run starts clean";
    EXPECT_TRUE(eventually(
        [&] { return !w.limiter_panel()->tokens()->points(QStringLiteral("limiter")).isEmpty(); }));
    EXPECT_FALSE(
        w.findChild<QDockWidget*>(QStringLiteral("limiter_dock"))->visibleRegion().isEmpty());

    ASSERT_TRUE(w.open_scenario(QStringLiteral("semaphore_weighted")));
    EXPECT_TRUE(eventually([&] {
        return !w.semaphore_panel()->held()->points(QStringLiteral("render budget")).isEmpty();
    }));
}

}  // namespace
}  // namespace cs::ui::test
