#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "cache/local_cache.h"
#include "engine.h"
#include "runtime/errors.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;
using cache::CacheStats;
using cache::LocalCache;
using cache::LocalCacheOptions;
using cache::PolicyKind;
using cache::RemovalCause;
using cache::Ttl;

LocalCacheOptions options(uint64_t capacity, PolicyKind policy = PolicyKind::lru) {
    LocalCacheOptions o;
    o.capacity = capacity;
    o.policy = policy;
    o.shards = 1;  // exact capacity and order, for these tests
    return o;
}

// Records what the listener heard.
struct Heard {
    std::mutex mu;
    std::multimap<RemovalCause, std::string> removals;
    LocalCache::Listener listener() {
        return [this](const std::string& key, const std::string&, RemovalCause cause) {
            std::lock_guard lock(mu);
            removals.emplace(cause, key);
        };
    }
    size_t count(RemovalCause c) {
        std::lock_guard lock(mu);
        return removals.count(c);
    }
};

TEST(LocalCache, GetsWhatWasSetAndCountsHitsAndMisses) {
    rt::Clock clock;
    Heard heard;
    LocalCache cache(clock, options(10), heard.listener());
    EXPECT_FALSE(cache.get("a"));
    EXPECT_TRUE(cache.set("a", "1"));
    EXPECT_EQ(cache.get("a"), "1");
    EXPECT_TRUE(cache.set("a", "2"));  // replaces
    EXPECT_EQ(cache.get("a"), "2");
    EXPECT_TRUE(cache.remove("a"));
    EXPECT_FALSE(cache.remove("a"));
    CacheStats s = cache.stats();
    EXPECT_EQ(s.hits, 2u);
    EXPECT_EQ(s.misses, 1u);
    EXPECT_DOUBLE_EQ(s.hit_ratio(), 2.0 / 3.0);
    EXPECT_EQ(s.removed(RemovalCause::replaced), 1u);
    EXPECT_EQ(s.removed(RemovalCause::explicit_), 1u);
    EXPECT_EQ(heard.count(RemovalCause::replaced), 1u);
    EXPECT_EQ(heard.count(RemovalCause::explicit_), 1u);
    EXPECT_EQ(s.size, 0u);
}

TEST(LocalCache, NeverHoldsMoreThanItsCapacityAndSaysWhyEntriesLeft) {
    rt::Clock clock;
    Heard heard;
    LocalCache cache(clock, options(100), heard.listener());
    for (int i = 0; i < 1000; ++i) {
        cache.set("k" + std::to_string(i), "v");
        ASSERT_LE(cache.size(), 100u);
    }
    EXPECT_EQ(cache.size(), 100u);
    EXPECT_EQ(cache.stats().removed(RemovalCause::size), 900u);
    EXPECT_EQ(heard.count(RemovalCause::size), 900u);
    EXPECT_TRUE(cache.get("k999"));  // LRU kept the newest
    EXPECT_FALSE(cache.get("k0"));
}

// The table holding the entries is rebuilt (and its slots renumbered) several times while it
// grows to 2000 entries; the policy must follow every entry to its new slot. LRU makes any slip
// visible: the 1000 keys touched last must be exactly the ones that stay.
TEST(LocalCache, TheEvictionOrderSurvivesTheTableRebuildingAsItGrows) {
    rt::Clock clock;
    LocalCache cache(clock, options(2000));
    for (int i = 0; i < 2000; ++i) cache.set("k" + std::to_string(i), "v" + std::to_string(i));
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(cache.get("k" + std::to_string(2 * i)));  // evens
    for (int i = 0; i < 1000; ++i) cache.set("new" + std::to_string(i), "n");  // odds must go
    for (int i = 0; i < 2000; ++i) {
        auto v = cache.get("k" + std::to_string(i));
        if (i % 2 == 0)
            EXPECT_EQ(v, "v" + std::to_string(i)) << i;
        else
            EXPECT_FALSE(v) << i;
    }
}

TEST(LocalCache, EveryPolicyKeepsEachKeysOwnValueThroughChurnAndRebuilds) {
    for (PolicyKind policy : cache::all_policy_kinds) {
        rt::Clock clock;
        LocalCache cache(clock, options(500, policy));
        for (int round = 0; round < 20; ++round) {
            for (int i = 0; i < 1500; ++i) {
                int n = i % 2 ? (i / 2) % 200 : 200 + (i * 7 + round * 131) % 2800;  // hot, cold
                std::string key = "k" + std::to_string(n);
                if (auto v = cache.get(key))
                    ASSERT_EQ(*v, "value of " + key) << cache::to_string(policy);
                else
                    cache.set(key, "value of " + key);
                if (i % 97 == 0) cache.remove(key);
            }
            ASSERT_LE(cache.size(), 500u) << cache::to_string(policy);
        }
        CacheStats s = cache.stats();
        EXPECT_EQ(s.size, cache.size());
        EXPECT_EQ(s.weight, cache.size()) << cache::to_string(policy);
        EXPECT_GT(s.hits, 0u) << cache::to_string(policy);
    }
}

TEST(LocalCache, CapacityByCostWeighsEachEntry) {
    rt::Clock clock;
    auto o = options(10);
    o.by_cost = true;
    LocalCache cache(clock, o);
    EXPECT_TRUE(cache.set("a", "x", Ttl::cache_default(), 4));
    EXPECT_TRUE(cache.set("b", "x", Ttl::cache_default(), 4));
    EXPECT_TRUE(cache.set("c", "x", Ttl::cache_default(), 4));  // a goes
    EXPECT_FALSE(cache.get("a"));
    EXPECT_EQ(cache.stats().weight, 8u);
    EXPECT_FALSE(cache.set("huge", "x", Ttl::cache_default(), 11));  // alone above the capacity
    EXPECT_EQ(cache.stats().cost_evicted, 4u);
}

TEST(LocalCache, EntriesExpireOnTheEngineClock) {
    rt::Clock clock;
    clock.pause();  // time moves only when the test says so
    Heard heard;
    auto o = options(10);
    o.default_ttl = 10s;
    LocalCache cache(clock, o, heard.listener());
    cache.set("default", "x");
    cache.set("short", "x", Ttl::of(2s));
    cache.set("forever", "x", Ttl::none());
    clock.advance_to(clock.now() + 3s);
    EXPECT_FALSE(cache.get("short"));  // expired on read
    EXPECT_TRUE(cache.get("default"));
    clock.advance_to(clock.now() + 8s);
    EXPECT_EQ(cache.purge_expired(), 1u);  // the janitor's sweep takes "default"
    EXPECT_TRUE(cache.get("forever"));
    EXPECT_EQ(cache.stats().removed(RemovalCause::expired), 2u);
    EXPECT_EQ(heard.count(RemovalCause::expired), 2u);
}

TEST(LocalCache, InvalidatesByKeyAndByPredicate) {
    rt::Clock clock;
    LocalCache cache(clock, options(100));
    for (const char* k : {"user:1", "user:2", "order:1", "order:2", "order:3"}) cache.set(k, "v");
    EXPECT_TRUE(cache.invalidate("user:1"));
    EXPECT_EQ(cache.invalidate_if([](std::string_view k) { return k.starts_with("order:"); }), 3u);
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_EQ(cache.stats().removed(RemovalCause::invalidated), 4u);
}

TEST(LocalCache, StatsSubtractToGiveAnInterval) {
    rt::Clock clock;
    LocalCache cache(clock, options(10));
    cache.set("a", "1");
    cache.get("a");
    CacheStats before = cache.stats();
    cache.get("a");
    cache.get("b");
    cache.record_load(true, 5ms);
    cache.record_load(false, 7ms);
    CacheStats d = cache.stats().since(before);
    EXPECT_EQ(d.hits, 1u);
    EXPECT_EQ(d.misses, 1u);
    EXPECT_EQ(d.loads, 2u);
    EXPECT_EQ(d.load_failures, 1u);
    EXPECT_EQ(d.total_load_time, rt::Duration(12ms));
}

TEST(LocalCache, RefusesBadCapacityAndTimeToLive) {
    rt::Clock clock;
    EXPECT_THROW(LocalCache(clock, options(0)), rt::InvalidArgument);
    EXPECT_THROW(Ttl::of(-1s), rt::InvalidArgument);
    EXPECT_THROW(Ttl::of(0s), rt::InvalidArgument);
    auto o = options(10);
    o.default_ttl = -5s;
    EXPECT_THROW(LocalCache(clock, o), rt::InvalidArgument);
}

// Every policy: S3-FIFO's reads share the shard's lock, the others' take it alone. Values are
// the key, inline or (padded) on the heap, so a read torn by a concurrent write would show; some
// entries live a millisecond, so reads also meet expired ones.
class LocalCacheConcurrency : public ::testing::TestWithParam<PolicyKind> {};

TEST_P(LocalCacheConcurrency, ConcurrentUseKeepsItsInvariants) {
    rt::Clock clock;
    LocalCacheOptions o;
    o.capacity = 500;
    o.policy = GetParam();
    LocalCache cache(clock, o);
    constexpr int threads = 4, ops = 20'000;
    std::atomic<uint64_t> gets{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            uint64_t x = uint64_t(t) + 1;
            for (int i = 0; i < ops; ++i) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                std::string key = "k" + std::to_string((x >> 33) % 2000);
                switch ((x >> 20) % 6) {
                    case 0:
                        cache.set(key, (x >> 40) % 2 ? key : key + std::string(40, '.'),
                                  (x >> 41) % 4 ? Ttl::cache_default() : Ttl::of(1ms));
                        break;
                    case 1:
                        cache.remove(key);
                        break;
                    default:
                        if (auto v = cache.get(key)) {
                            EXPECT_EQ(v->substr(0, v->find('.')), key);
                        }
                        gets.fetch_add(1);
                }
            }
        });
    }
    for (auto& th : pool) th.join();
    CacheStats s = cache.stats();
    EXPECT_EQ(s.hits + s.misses, gets.load());
    EXPECT_GT(s.hits, 0u);
    EXPECT_GT(s.removals[size_t(RemovalCause::expired)], 0u);
    EXPECT_LE(s.size, 500u + 64u);  // each shard holds at most its share (rounded up)
    EXPECT_EQ(s.size, cache.size());
}

INSTANTIATE_TEST_SUITE_P(EveryPolicy, LocalCacheConcurrency,
                         ::testing::ValuesIn(cache::all_policy_kinds),
                         [](const auto& info) { return std::string(cache::to_string(info.param)); });

}  // namespace
}  // namespace cs::test

namespace cs::test {
namespace {

TEST(LocalCacheTelemetry, AnEngineCacheIsInTheSnapshotWithItsStatsAndItsRemovalsAreEvents) {
    Engine engine;
    {
        cache::LocalCacheOptions o;
        o.name = "users";
        o.capacity = 2;
        o.policy = cache::PolicyKind::lru;
        o.shards = 1;
        cache::LocalCache users(engine, o);
        users.set("a", "1");
        users.set("b", "2");
        users.get("a");
        users.get("zzz");
        users.set("c", "3");  // evicts b (least recently used)
        users.invalidate("a");

        auto snap = engine.snapshot();
        ASSERT_EQ(snap->caches.size(), 1u);
        const auto& info = snap->caches[0];
        EXPECT_EQ(info.name, "users");
        EXPECT_EQ(info.policy, "lru");
        EXPECT_EQ(info.capacity, 2u);
        EXPECT_EQ(info.stats.hits, 1u);
        EXPECT_EQ(info.stats.misses, 1u);
        EXPECT_EQ(info.stats.removed(cache::RemovalCause::size), 1u);

        std::vector<std::pair<std::string, std::string>> seen;  // cause, key
        for (const auto& e : snap->cache_events) {
            EXPECT_EQ(e.cache, "users");
            EXPECT_EQ(e.cache_id, info.id);
            seen.emplace_back(e.cause, e.subject);
        }
        EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{{"size", "b"},
                                                                          {"invalidated", "a"}}));
        EXPECT_TRUE(engine.snapshot()->cache_events.empty());  // each event once
    }
    EXPECT_TRUE(engine.snapshot()->caches.empty());  // gone with the cache
}

}  // namespace
}  // namespace cs::test

namespace cs::test {
namespace {

TEST(LocalCache, AGetIntoABufferCountsLikeAnyGetAndLeavesTheBufferAloneOnAMiss) {
    rt::Clock clock;
    cache::LocalCacheOptions o;
    o.capacity = 10;
    cache::LocalCache c(clock, o);
    c.set("a", std::string(100, 'x'));  // a value on the heap
    c.set("b", "short");
    std::string buffer = "untouched";
    EXPECT_FALSE(c.get("nope", buffer));
    EXPECT_EQ(buffer, "untouched");
    EXPECT_TRUE(c.get("a", buffer));
    EXPECT_EQ(buffer, std::string(100, 'x'));
    EXPECT_TRUE(c.get("b", buffer));
    EXPECT_EQ(buffer, "short");
    EXPECT_EQ(c.stats().hits, 2u);
    EXPECT_EQ(c.stats().misses, 1u);
}

}  // namespace
}  // namespace cs::test
