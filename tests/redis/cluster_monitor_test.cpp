// ClusterMonitor on a real 3-master cluster: a sample per master and their total (counters
// summed, the window's hit rate from the summed deltas), a dead master listed as down while the
// total is of the others; and `chanscope redis stat` on a cluster node watching the cluster.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../scenario/headless_cli_support.h"
#include "redis/cluster_client.h"
#include "redis/cluster_monitor.h"
#include "redis/redis_error.h"
#include "redis_server.h"

namespace cs::test {
namespace {

using redis::ClusterClient;
using redis::ClusterMonitor;
using redis::ClusterSample;
using redis::parse_redis_url;

// Hits and misses spread over the masters: `hits` GETs of keys that exist, `misses` of keys
// that do not.
void read_keys(ClusterClient& cluster, int hits, int misses) {
    for (int i = 0; i < hits; ++i) {
        std::string key = "k" + std::to_string(i);
        cluster.command_for_blocking(key, {"SET", key, "v"});
        cluster.command_for_blocking(key, {"GET", key});
    }
    for (int i = 0; i < misses; ++i) {
        std::string key = "absent" + std::to_string(i);
        cluster.command_for_blocking(key, {"GET", key});
    }
}

TEST(ClusterMonitor, SamplesEachMasterAndAddsThemUp) {
    RedisCluster cluster;
    ClusterClient client({parse_redis_url(cluster.seed_url())});
    read_keys(client, 60, 30);
    ClusterMonitor monitor(parse_redis_url(cluster.seed_url()));
    ClusterSample first = monitor.sample();
    ASSERT_EQ(first.nodes.size(), 3u);
    uint64_t hits = 0, misses = 0, memory = 0;
    for (const auto& n : first.nodes) {
        ASSERT_TRUE(n.sample) << n.node << ": " << n.error;
        EXPECT_GT(n.sample->info.keyspace_hits, 0u) << n.node << " served none of 60 keys";
        hits += n.sample->info.keyspace_hits;
        misses += n.sample->info.keyspace_misses;
        memory += n.sample->info.used_memory;
    }
    EXPECT_EQ(hits, 60u);
    EXPECT_EQ(misses, 30u);
    EXPECT_EQ(first.total.info.keyspace_hits, 60u);
    EXPECT_EQ(first.total.info.keyspace_misses, 30u);
    EXPECT_EQ(first.total.info.used_memory, memory);
    EXPECT_DOUBLE_EQ(first.total.info.hit_rate(), 60.0 / 90.0);
    EXPECT_FALSE(first.total.window);  // no window before a second sample

    read_keys(client, 10, 10);
    ClusterSample second = monitor.sample();
    ASSERT_TRUE(second.total.window);
    EXPECT_EQ(second.total.window->hits, 10u);
    EXPECT_EQ(second.total.window->misses, 10u);
    EXPECT_DOUBLE_EQ(second.total.hit_rate_window(), 0.5);
    EXPECT_GT(second.total.ops_per_sec(), 0);
    for (const auto& n : second.nodes)
        EXPECT_LE(n.sample->ping.p99, second.total.ping.p99) << "the total's latency is the slowest's";
}

TEST(ClusterMonitor, ADeadMasterIsListedDownAndTheTotalIsOfTheOthers) {
    RedisCluster cluster;
    ClusterMonitor monitor(parse_redis_url(cluster.seed_url()));
    ASSERT_EQ(monitor.sample().nodes.size(), 3u);
    redis::RedisServerProcess* dead = cluster.nodes()[2];
    const std::string dead_name = dead->host() + ":" + std::to_string(dead->port());
    dead->kill();
    ClusterSample s = monitor.sample();
    ASSERT_EQ(s.nodes.size(), 3u);
    size_t down = 0;
    uint64_t clients = 0;
    for (const auto& n : s.nodes) {
        if (n.node == dead_name) {
            EXPECT_FALSE(n.sample);
            EXPECT_NE(n.error.find(dead_name), std::string::npos) << n.error;
            ++down;
        } else {
            ASSERT_TRUE(n.sample) << n.node << ": " << n.error;
            clients += n.sample->info.connected_clients;
        }
    }
    EXPECT_EQ(down, 1u);
    EXPECT_EQ(s.total.info.connected_clients, clients);
    std::string line = redis::cluster_json(s);
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["masters"], 3);
    size_t down_in_json = 0;
    for (const auto& n : j["nodes"]) down_in_json += n.contains("state") && n["state"] == "down";
    EXPECT_EQ(down_in_json, 1u) << line;
}

TEST(RedisStatCli, OnAClusterNodeItWatchesEveryMasterAndTheTotal) {
    RedisCluster cluster;
    ClusterClient client({parse_redis_url(cluster.seed_url())});
    read_keys(client, 30, 0);
    Result json = chanscope({"redis", "stat", "--url", cluster.seed_url(), "--interval", "50ms",
                             "--count", "2", "--report", "json"});
    ASSERT_EQ(json.status, 0) << json.err;
    std::vector<std::string> lines = lines_of(json.out);
    ASSERT_EQ(lines.size(), 2u) << json.out;
    for (const std::string& line : lines) {
        auto j = nlohmann::json::parse(line);
        EXPECT_EQ(j["masters"], 3);
        ASSERT_EQ(j["nodes"].size(), 3u);
        uint64_t hits = 0;
        for (const auto& n : j["nodes"]) {
            EXPECT_TRUE(n.contains("node"));
            hits += n["keyspace_hits"].get<uint64_t>();
        }
        EXPECT_EQ(j["keyspace_hits"].get<uint64_t>(), hits);
        EXPECT_EQ(hits, 30u);
        for (const char* field : {"ops_per_sec", "hit_rate", "hit_rate_window", "used_memory",
                                  "evicted_keys", "expired_keys", "connected_clients", "latency_ms"})
            EXPECT_TRUE(j.contains(field)) << field;
    }
    Result text = chanscope({"redis", "stat", "--url", cluster.seed_url(), "--count", "1"});
    ASSERT_EQ(text.status, 0) << text.err;
    std::vector<std::string> rows = lines_of(text.out);
    ASSERT_EQ(rows.size(), 4u) << text.out;  // three masters, then the cluster
    EXPECT_EQ(rows[3].rfind("cluster", 0), 0u) << text.out;
    for (const std::string& row : rows) EXPECT_NE(row.find("hit rate"), std::string::npos) << row;
}

}  // namespace
}  // namespace cs::test
