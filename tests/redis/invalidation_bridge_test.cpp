// InvalidationBridge on a real redis-server: two "processes" (two engines, two buses, two caches)
// sharing one channel — an invalidation published in one reaches the other's cache with its
// cross-process delay, a bridge does not apply its own message twice, foreign messages on the
// channel are ignored, and a lost subscription clears the caches it serves.
#include <gtest/gtest.h>

#include "cache/invalidation_bus.h"
#include "cache/local_cache.h"
#include "redis/invalidation_bridge.h"
#include "redis/redis_client.h"
#include "redis_server.h"
#include "test_support.h"

namespace cs::test {
namespace {

using cache::Invalidation;
using redis::InvalidationBridge;
using redis::parse_redis_url;
using redis::RedisClient;

// One application process: its engine, a cache, a bus the cache subscribes to, a bridge.
struct Process {
    explicit Process(const std::string& url)
        : redis(parse_redis_url(url)),
          cache(engine, {.name = "users", .capacity = 100}),
          bus(engine, {.name = "bus"}),
          subscription(bus.subscribe(cache)),
          bridge(bus, redis, {.channel = "shop:invalidations"}) {}

    Engine engine;
    RedisClient redis;
    cache::LocalCache cache;
    cache::InvalidationBus bus;
    cache::Subscription subscription;
    InvalidationBridge bridge;
};

TEST(InvalidationBridge, AnInvalidationPublishedInOneProcessReachesTheOthersCache) {
    RedisServer server;
    Process a(server.url()), b(server.url());
    ASSERT_TRUE(eventually([&] { return a.bridge.connected() && b.bridge.connected(); }));
    for (Process* p : {&a, &b}) {
        p->cache.set("user:1", "Ada");
        p->cache.set("user:2", "Grace");
        p->cache.set("order:1", "book");
    }
    run_task(a.engine, [&]() -> Task<> {
        co_await a.bridge.publish(Invalidation::key("user:1", "profile-api"));
    });
    a.bridge.publish_blocking(Invalidation::prefix("order:", "orders-api"));

    ASSERT_TRUE(eventually([&] { return b.cache.size() == 1; })) << b.cache.size();
    EXPECT_TRUE(b.cache.peek("user:2"));
    a.bus.flush_blocking();
    EXPECT_EQ(a.cache.size(), 1u);
    EXPECT_EQ(a.bus.stats().published, 2u) << "a applied its own message a second time";
    EXPECT_EQ(a.bridge.stats().sent, 2u);
    EXPECT_EQ(a.bridge.stats().received, 0u);
    redis::InvalidationBridgeStats sb = b.bridge.stats();
    EXPECT_EQ(sb.received, 2u);
    EXPECT_EQ(sb.delay.count, 2u);
    EXPECT_LT(sb.delay.max, std::chrono::seconds(5));
}

TEST(InvalidationBridge, IgnoresMessagesThatAreNotABridges) {
    RedisServer server;
    Process a(server.url());
    ASSERT_TRUE(eventually([&] { return a.bridge.connected(); }));
    a.cache.set("user:1", "Ada");
    for (const char* junk : {"not json", "{}", R"({"from":"x","by":"nonsense","subject":"user:1",
                             "source":"s","sent_ns":1})",
                             R"({"from":"x","by":"key","subject":7,"source":"s","sent_ns":1})"})
        a.redis.command_blocking({"PUBLISH", "shop:invalidations", junk});
    ASSERT_TRUE(eventually([&] { return a.bridge.stats().malformed == 4; }));
    EXPECT_EQ(a.cache.size(), 1u);
}

TEST(InvalidationBridge, ALostSubscriptionClearsTheCachesItServes) {
    RedisServer server;
    Process a(server.url());
    RedisClient admin(parse_redis_url(server.url()));
    ASSERT_TRUE(eventually([&] { return a.bridge.connected(); }));
    a.cache.set("user:1", "Ada");
    admin.command_blocking({"CLIENT", "KILL", "TYPE", "pubsub"});
    ASSERT_TRUE(eventually([&] { return a.bridge.stats().resyncs == 1; }));
    a.bus.flush_blocking();
    EXPECT_EQ(a.cache.size(), 0u);
    ASSERT_TRUE(eventually([&] { return a.bridge.connected(); }));
}

}  // namespace
}  // namespace cs::test
