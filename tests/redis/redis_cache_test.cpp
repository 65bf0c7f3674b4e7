// RedisCache: the cache-tier contract on a real redis-server (hits and misses counted, TTLs as
// PX, removals by cause, a key prefix, MGET), listed in engine snapshots, and read-through with
// single-flight running on it unchanged.
#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "cache/loading_cache.h"
#include "cache/sqlite_origin.h"
#include "cache/write_behind.h"
#include "redis/redis_cache.h"
#include "redis/redis_client.h"
#include "redis/redis_error.h"
#include "redis_server.h"
#include "test_support.h"

namespace cs::test {
namespace {

using cache::Ttl;
using redis::parse_redis_url;
using redis::RedisCache;
using redis::RedisClient;

TEST(RedisCache, StoresReadsAndRemovesWithItsPrefixAndCountsEachOutcome) {
    RedisServer server;
    RedisClient client(parse_redis_url(server.url()));
    Engine engine;
    RedisCache users(engine, client, {.name = "users", .key_prefix = "app:", .default_ttl = 30s});
    run_task(engine, [&]() -> Task<> {
        EXPECT_EQ(co_await users.get("u1"), std::nullopt);
        EXPECT_TRUE(co_await users.set("u1", "Ada", Ttl::cache_default()));
        EXPECT_TRUE(co_await users.set("u2", "Grace", Ttl::of(200ms)));
        EXPECT_TRUE(co_await users.set("u3", "Edsger", Ttl::none()));
        EXPECT_EQ(co_await users.get("u1"), "Ada");
        EXPECT_EQ(co_await users.peek("u2"), "Grace");  // not counted
        std::vector<std::string> keys{"u1", "nobody", "u3"};
        std::vector<std::optional<std::string>> many = co_await users.mget(keys);
        EXPECT_EQ(many, (std::vector<std::optional<std::string>>{"Ada", std::nullopt, "Edsger"}));
        EXPECT_TRUE(co_await users.remove("u3"));
        EXPECT_FALSE(co_await users.remove("u3"));
        EXPECT_TRUE(co_await users.invalidate("u1"));
    });
    // What Redis holds, under the prefix, with the TTLs asked for.
    EXPECT_EQ(client.command_blocking({"GET", "app:u2"}).str, "Grace");
    long long default_ttl = client.command_blocking({"PTTL", "app:u2"}).integer;
    EXPECT_GT(default_ttl, 0);
    EXPECT_LE(default_ttl, 200);
    EXPECT_TRUE(client.command_blocking({"GET", "u2"}).is_nil());
    EXPECT_TRUE(client.command_blocking({"GET", "app:u1"}).is_nil());

    cache::CacheStats s = users.stats();
    EXPECT_EQ(s.hits, 3u);    // get u1, mget u1 and u3
    EXPECT_EQ(s.misses, 2u);  // get u1 before the set, mget nobody
    EXPECT_EQ(s.removed(cache::RemovalCause::explicit_), 1u);
    EXPECT_EQ(s.removed(cache::RemovalCause::invalidated), 1u);

    auto snapshot = engine.snapshot();
    auto it = std::find_if(snapshot->caches.begin(), snapshot->caches.end(),
                           [](const auto& c) { return c.name == "users"; });
    ASSERT_NE(it, snapshot->caches.end());
    EXPECT_EQ(it->policy, "redis");
    EXPECT_EQ(it->stats.hits, 3u);
}

TEST(RedisCache, ReadThroughWithSingleFlightLoadsOnceForAHundredConcurrentMisses) {
    RedisServer server;
    RedisClient client(parse_redis_url(server.url()));
    Engine engine;
    RedisCache tier(engine, client, {.name = "users"});
    cache::SqliteOrigin db(engine, {.name = "db", .latency = 50ms});
    db.seed(10, [](uint64_t i) {
        return cache::KeyValue{"user:" + std::to_string(i), "v" + std::to_string(i)};
    });
    cache::LoadingCache users(engine, tier, db, {.name = "users", .ttl = 10s});
    run_task(engine, [&]() -> Task<> {
        rt::WaitGroup wg;
        wg.add(100);
        for (int i = 0; i < 100; ++i)
            engine.go("reader", [&]() -> Task<> {
                cache::LoadResult r = co_await users.get("user:7");
                EXPECT_EQ(r.value, "v7");
                wg.done();
            });
        co_await wg.wait();
        cache::LoadResult again = co_await users.get("user:7");
        EXPECT_EQ(again.source, cache::LoadResult::Source::cache);
    });
    EXPECT_EQ(db.stats().loads, 1u);
    EXPECT_EQ(users.stats().shared_loads, 99u);
    // The loader stores its value stamped (load time and cost, for XFetch and refresh-ahead).
    std::string stored = client.command_blocking({"GET", "user:7"}).str;
    ASSERT_GE(stored.size(), 2u);
    EXPECT_EQ(stored.substr(stored.size() - 2), "v7");
    long long ttl = client.command_blocking({"PTTL", "user:7"}).integer;
    EXPECT_GT(ttl, 0);
    EXPECT_LE(ttl, 10'000);
}

TEST(RedisCache, ACallWhileRedisIsDownThrowsATypedError) {
    RedisServer server;
    RedisClient client(parse_redis_url(server.url()));
    Engine engine;
    RedisCache tier(engine, client);
    server.kill();
    run_task(engine, [&]() -> Task<> {
        bool threw = false;
        try {
            co_await tier.get("k");
        } catch (const redis::RedisError& e) {
            threw = true;
            EXPECT_EQ(e.kind(), redis::RedisErrorKind::connection_refused) << e.what();
        }
        EXPECT_TRUE(threw);
    });
}

// Redis killed and restarted while a writer goes through write-behind over it: the client comes
// back by itself, and every acknowledged write (and every write whose cache step failed: it
// was queued first) reaches the database.
TEST(RedisCache, WriteBehindOverRedisLosesNoAcknowledgedWriteWhenRedisDiesAndReturns) {
    RedisServer server;
    RedisClient client(parse_redis_url(server.url()),
                       {.backoff = {.first = std::chrono::milliseconds(20),
                                    .max = std::chrono::milliseconds(100)}});
    Engine engine;
    RedisCache tier(engine, client, {.name = "users"});
    cache::SqliteOrigin db(engine, {.name = "db"});
    cache::WriteBehind writes(engine, tier, db, {.name = "users", .batch_size = 16});
    std::atomic<int> phase{0};  // 0: before the kill, 1: Redis dead, 2: restarted
    std::atomic<uint64_t> acknowledged{0}, refused_by_redis{0}, after_restart{0};
    constexpr int keys = 50;
    std::map<std::string, std::string> last;  // the latest value written to each key
    auto writer = engine.spawn("writer", [&]() -> Task<> {
        for (int i = 0; phase.load() < 2 || after_restart.load() < 100; ++i) {
            std::string key = "user:" + std::to_string(i % keys);
            std::string value = "v" + std::to_string(i);
            last[key] = value;
            try {
                co_await writes.write(key, value);
                acknowledged.fetch_add(1);
                if (phase.load() == 2) after_restart.fetch_add(1);
            } catch (const redis::RedisError&) {
                refused_by_redis.fetch_add(1);
            }
            co_await rt::sleep_for(std::chrono::microseconds(200));
        }
    });
    ASSERT_TRUE(eventually([&] { return acknowledged.load() > 100; }));
    server.kill();
    phase = 1;
    ASSERT_TRUE(eventually([&] { return refused_by_redis.load() > 20; }));
    server.restart();
    phase = 2;
    writer.wait();
    EXPECT_EQ(client.health().state, redis::HealthState::up);
    EXPECT_GE(client.health().reconnects, 1u);

    cache::WriteBehindReport report;
    run_task(engine, [&]() -> Task<> { report = co_await writes.shutdown(); });
    EXPECT_EQ(report.status, rt::Status::ok);
    EXPECT_EQ(report.left, 0u);
    run_task(engine, [&]() -> Task<> {
        for (const auto& [key, value] : last) {
            std::optional<std::string> stored = co_await db.load(key);
            EXPECT_EQ(stored, value) << key;
        }
    });
}

}  // namespace
}  // namespace cs::test
