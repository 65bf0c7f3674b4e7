// INFO as a real redis-server writes it: the monitor's numbers, and the window rates between
// two samples (hit rate from the deltas, not since the start), including across a restart.
#include <gtest/gtest.h>

#include "redis/redis_client.h"
#include "redis/redis_info.h"
#include "redis_server.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;
using redis::parse_info;
using redis::parse_redis_url;
using redis::RedisClient;
using redis::RedisInfo;
using Clock = std::chrono::steady_clock;

RedisInfo sample(RedisClient& client, Clock::time_point at) {
    return parse_info(client.command_blocking({"INFO"}).str, at);
}

TEST(RedisInfo, ReadsTheMonitorsNumbersAndTheWindowsHitRateFromDeltas) {
    RedisServer server;
    RedisClient client(parse_redis_url(server.url()));
    client.command_blocking({"SET", "k", "v"});
    for (int i = 0; i < 9; ++i) client.command_blocking({"GET", "k"});  // 9 hits
    client.command_blocking({"GET", "nope"});                           // 1 miss
    Clock::time_point t0 = Clock::now();
    RedisInfo first = sample(client, t0);
    EXPECT_EQ(first.keyspace_hits, 9u);
    EXPECT_EQ(first.keyspace_misses, 1u);
    EXPECT_DOUBLE_EQ(first.hit_rate(), 0.9);
    EXPECT_GT(first.used_memory, 100'000u);
    EXPECT_GE(first.connected_clients, 1u);
    EXPECT_GE(first.total_commands, 11u);
    EXPECT_EQ(first.fields.count("redis_version"), 1u);

    for (int i = 0; i < 10; ++i) client.command_blocking({"GET", "nope"});  // 10 misses
    client.command_blocking({"GET", "k"});                                  // 1 hit
    RedisInfo second = sample(client, t0 + 2s);
    redis::InfoRates r = redis::rates(first, second);
    EXPECT_EQ(r.hits, 1u);
    EXPECT_EQ(r.misses, 10u);
    EXPECT_DOUBLE_EQ(r.hit_rate_window, 1.0 / 11.0);
    EXPECT_DOUBLE_EQ(r.seconds, 2.0);
    // INFO itself is a command: 11 reads and the second INFO, over 2 s.
    EXPECT_DOUBLE_EQ(r.ops_per_sec, double(second.total_commands - first.total_commands) / 2.0);
    EXPECT_GE(second.total_commands - first.total_commands, 12u);
    EXPECT_DOUBLE_EQ(second.hit_rate(), 10.0 / 21.0);
}

TEST(RedisInfo, CountsExpiredKeysAndStartsOverAfterARestart) {
    RedisServer server;
    RedisClient client(parse_redis_url(server.url()));
    for (int i = 0; i < 5; ++i) client.command_blocking({"SET", "t" + std::to_string(i), "v", "PX", "1"});
    std::this_thread::sleep_for(20ms);
    for (int i = 0; i < 5; ++i) client.command_blocking({"GET", "t" + std::to_string(i)});
    RedisInfo before = sample(client, Clock::now());
    EXPECT_EQ(before.expired_keys, 5u);
    EXPECT_EQ(before.keyspace_misses, 5u);

    server.kill();
    server.restart();
    RedisInfo after;
    for (int attempt = 0; attempt < 100; ++attempt) {  // the client backs off after the kill
        try {
            client.command_blocking({"GET", "fresh"});
            after = sample(client, Clock::now());
            break;
        } catch (const redis::RedisError&) {
            std::this_thread::sleep_for(50ms);
        }
    }
    redis::InfoRates r = redis::rates(before, after);
    EXPECT_EQ(r.misses, 1u);  // counted from the restarted server's zero
    EXPECT_EQ(r.expired, 0u);
}

TEST(RedisInfo, IgnoresSectionHeadersBlankLinesAndLinesWithoutAValue) {
    RedisInfo info = parse_info(
        "# Stats\r\nkeyspace_hits:7\r\n\r\ngarbage line\nkeyspace_misses:3\n# Memory\n"
        "used_memory:1024\r\nevicted_keys:not-a-number\r\n",
        Clock::time_point{});
    EXPECT_EQ(info.keyspace_hits, 7u);
    EXPECT_EQ(info.keyspace_misses, 3u);
    EXPECT_EQ(info.used_memory, 1024u);
    EXPECT_EQ(info.evicted_keys, 0u);
    EXPECT_EQ(info.fields.size(), 4u);
}

}  // namespace
}  // namespace cs::test
