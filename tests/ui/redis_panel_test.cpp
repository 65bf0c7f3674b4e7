// The Redis panel against a real redis-server: it connects and shows the server's numbers, shows
// the down state (with the error and the retry) when the server stops, and recovers by itself
// when it is back; a cluster node shows the whole cluster, a master that dies named; a bad URL is
// shown in the panel, not thrown.
#include <gtest/gtest.h>

#include "redis_panel.h"
#include "redis_server.h"
#include "resp_probe.h"
#include "time_series_chart.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

using cs::test::RedisServer;

std::string notify_setting(int port) {
    auto reply = cs::test::redis_command(port, {"CONFIG", "GET", "notify-keyspace-events"});
    return reply && reply->elements.size() == 2 ? reply->elements[1].str : "?";
}

TEST(RedisPanel, ChartsTheServerOverTimeAndStreamsItsKeyspaceEvents) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server;
    RedisPanel panel(nullptr, std::chrono::milliseconds(100));
    ASSERT_TRUE(panel.connect_to(QString::fromStdString(server.url()), {}));
    EXPECT_TRUE(
        eventually([&] { return panel.ops_chart()->points(QStringLiteral("ops/s")).size() >= 3; }));
    EXPECT_FALSE(panel.ping_chart()->points(QStringLiteral("p99")).isEmpty());

    // Off on the server, and not asked to turn them on: said so, and nothing changes.
    ASSERT_EQ(notify_setting(server.port()), "");
    EXPECT_FALSE(panel.stream_events(true, false));
    EXPECT_TRUE(panel.events_text().contains(QStringLiteral("sends no keyspace events")))
        << panel.events_text().toStdString();
    EXPECT_EQ(notify_setting(server.port()), "");

    ASSERT_TRUE(panel.stream_events(true, true)) << panel.events_text().toStdString();
    EXPECT_NE(notify_setting(server.port()), "") << "on while streaming";
    // The subscription may start a moment after: write until an event shows.
    EXPECT_TRUE(eventually([&] {
        cs::test::redis_command(server.port(), {"SET", "user:1", "v"});
        return panel.events_text().contains(QStringLiteral("user:1"));
    })) << panel.events_text().toStdString();
    EXPECT_TRUE(panel.events_text().contains(QStringLiteral("set")));

    panel.stream_events(false, false);
    EXPECT_EQ(notify_setting(server.port()), "") << "the server's setting is put back";
}

TEST(RedisPanel, ShowsTheServerGoingDownAndComingBack) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server;
    cs::test::redis_command(server.port(), {"SET", "k", "v"});
    cs::test::redis_command(server.port(), {"GET", "k"});
    RedisPanel panel(nullptr, std::chrono::milliseconds(100));
    ASSERT_TRUE(panel.connect_to(QString::fromStdString(server.url()), {}));
    ASSERT_TRUE(eventually([&] { return panel.health_text().endsWith(QStringLiteral(": up")); }))
        << panel.health_text().toStdString();
    ASSERT_TRUE(eventually([&] { return panel.figure(QStringLiteral("clients")) != "—"; }));
    EXPECT_EQ(panel.figure(QStringLiteral("hit rate (since start)")), QStringLiteral("100.0%"));
    EXPECT_TRUE(panel.figure(QStringLiteral("PING p50")).endsWith(QStringLiteral(" ms")));
    // The numbers move: the panel's own INFO and PINGs are commands.
    const QString ops_before = panel.figure(QStringLiteral("ops/s"));
    EXPECT_TRUE(eventually([&] { return panel.figure(QStringLiteral("ops/s")).toDouble() > 0; }))
        << ops_before.toStdString();

    server.stop();
    ASSERT_TRUE(eventually([&] { return panel.health_text().contains(QStringLiteral("down")); }))
        << panel.health_text().toStdString();
    EXPECT_TRUE(panel.health_text().contains(QStringLiteral("retrying in")));

    server.restart();
    EXPECT_TRUE(eventually([&] { return panel.health_text().endsWith(QStringLiteral(": up")); }))
        << panel.health_text().toStdString();
}

TEST(RedisPanel, AClusterNodeShowsTheWholeCluster) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    cs::test::RedisCluster cluster;
    for (cs::test::RedisServer* node : cluster.nodes())  // a clients' count of its own on each
        cs::test::redis_command(node->port(), {"PING"});
    RedisPanel panel(nullptr, std::chrono::milliseconds(100));
    ASSERT_TRUE(panel.connect_to(QString::fromStdString(cluster.seed_url()), {}));
    ASSERT_TRUE(eventually([&] { return panel.figure(QStringLiteral("servers")) != "—"; }));
    EXPECT_EQ(panel.figure(QStringLiteral("servers")), QStringLiteral("cluster of 3 masters"));
    // Every master has the watch's own connection at least: the total counts three or more.
    EXPECT_GE(panel.figure(QStringLiteral("clients")).toInt(), 3);

    cs::test::RedisServer* lost = cluster.nodes()[1];
    const QString lost_name = QStringLiteral("127.0.0.1:%1").arg(lost->port());
    lost->kill();
    EXPECT_TRUE(eventually([&] {
        return panel.figure(QStringLiteral("servers"))
            .contains(QStringLiteral("down: ") + lost_name);
    })) << panel.figure(QStringLiteral("servers")).toStdString();
}

TEST(RedisPanel, ABadUrlIsShownNotThrown) {
    RedisPanel panel;
    EXPECT_FALSE(panel.connect_to(QStringLiteral("http://nowhere"), {}));
    EXPECT_TRUE(panel.health_text().startsWith(QStringLiteral("Not connected: ")))
        << panel.health_text().toStdString();
}

TEST(RedisPanel, AWrongPasswordIsShownAsDown) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server({.password = "right"});
    RedisPanel panel(nullptr, std::chrono::milliseconds(100));
    ASSERT_TRUE(panel.connect_to(QString::fromStdString(server.url()), QStringLiteral("wrong")));
    ASSERT_TRUE(eventually([&] { return panel.health_text().contains(QStringLiteral("down")); }));
    EXPECT_FALSE(panel.health_text().contains(QStringLiteral("wrong")))
        << "the password is shown: " << panel.health_text().toStdString();
}

}  // namespace
}  // namespace cs::ui::test
