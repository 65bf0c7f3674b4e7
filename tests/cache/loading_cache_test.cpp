// LoadingCache (read-through) and cache-aside over a real LocalCache and a real SQLite origin:
// each pattern's contract — one load for a crowd of misses with single-flight and one per miss
// without, XFetch's early recomputation, refresh-ahead serving while it reloads, stale values on
// an origin outage for a bounded time. Time is the engine's virtual time (deterministic mode),
// so the origin's latency and every TTL are exact.
#include <string>
#include <vector>

#include "../engine/test_support.h"
#include "cache/cache_aside.h"
#include "cache/loading_cache.h"
#include "cache/local_tier.h"
#include "cache/sqlite_origin.h"
#include "runtime/errors.h"

namespace cs::test {
namespace {

using cache::LoadingCache;
using cache::LoadingCacheOptions;
using cache::LoadResult;
using cache::OriginError;
using cache::StampedeProtection;

EngineOptions virtual_time() {
    EngineOptions o;
    o.deterministic = true;
    return o;
}

// An engine, a local cache, its tier and a SQLite origin holding user:0 .. user:9.
struct World {
    Engine engine;
    cache::LocalCache local;
    cache::LocalTier tier{local};
    cache::SqliteOrigin db;

    explicit World(rt::Duration origin_latency = 10ms, EngineOptions options = virtual_time())
        : engine(options),
          local(engine, {.name = "users", .capacity = 1000}),
          db(engine, {.name = "db", .latency = origin_latency}) {
        db.seed(10, [](uint64_t i) {
            return cache::KeyValue{"user:" + std::to_string(i), "v" + std::to_string(i)};
        });
    }
};

TEST(LoadingCache, LoadsAMissFromTheOriginAndServesTheNextReadFromTheCache) {
    World w;
    LoadingCache users(w.engine, w.tier, w.db, {.name = "users", .ttl = 1s});
    run_task(w.engine, [&]() -> Task<> {
        LoadResult first = co_await users.get("user:3");
        EXPECT_EQ(first.value, "v3");
        EXPECT_EQ(first.source, LoadResult::Source::origin);
        LoadResult second = co_await users.get("user:3");
        EXPECT_EQ(second.value, "v3");
        EXPECT_EQ(second.source, LoadResult::Source::cache);
        LoadResult missing = co_await users.get("nobody");
        EXPECT_EQ(missing.value, std::nullopt);
        co_await rt::sleep_for(1001ms);  // expired: loaded again
        EXPECT_EQ((co_await users.get("user:3")).source, LoadResult::Source::origin);
    });
    EXPECT_EQ(w.db.stats().loads, 3u);
    cache::CacheStats s = w.local.stats();
    EXPECT_EQ(s.hits, 1u);
    EXPECT_EQ(s.misses, 3u);
    EXPECT_EQ(s.loads, 3u);
    EXPECT_EQ(s.total_load_time, 30ms);  // the origin's latency, exactly, in virtual time
    EXPECT_EQ(users.stats().origin_loads, 3u);
}

// Starts `n` tasks running body() at the same instant — spawned by one task, which on the
// deterministic engine's single worker runs on until they are all spawned — and waits for them.
template <class Body>
void crowd(Engine& engine, int n, Body body) {
    run_task(engine, [&]() -> Task<> {
        rt::WaitGroup wg;
        wg.add(n);
        for (int i = 0; i < n; ++i)
            engine.go("reader", [&]() -> Task<> {
                co_await body();
                wg.done();
            });
        co_await wg.wait();
    });
}

// 100 tasks miss the same key at once; returns the origin's load count.
uint64_t stampede(StampedeProtection protection) {
    World w(50ms);
    LoadingCache users(w.engine, w.tier, w.db, {.name = "users", .ttl = 10s});
    users.set_protection(protection);
    crowd(w.engine, 100, [&]() -> Task<> {
        LoadResult r = co_await users.get("user:7");
        EXPECT_EQ(r.value, "v7");
    });
    if (protection == StampedeProtection::single_flight) {
        EXPECT_EQ(users.stats().shared_loads, 99u);
    }
    return w.db.stats().loads;
}

TEST(LoadingCache, HundredConcurrentMissesMakeHundredLoadsUnprotectedAndOneWithSingleFlight) {
    EXPECT_EQ(stampede(StampedeProtection::none), 100u);
    EXPECT_EQ(stampede(StampedeProtection::single_flight), 1u);
}

TEST(LoadingCache, SingleFlightSharesTheOriginsErrorWithEveryWaiter) {
    World w(50ms);
    LoadingCache users(w.engine, w.tier, w.db, {.name = "users", .ttl = 10s});
    w.db.set_available(false);
    std::atomic<int> failed{0};
    crowd(w.engine, 20, [&]() -> Task<> {
        try {
            co_await users.get("user:1");
        } catch (const OriginError&) {
            failed.fetch_add(1);
        }
    });
    EXPECT_EQ(failed.load(), 20);
    EXPECT_EQ(w.db.stats().loads, 1u);
    EXPECT_EQ(users.stats().errors, 20u);
}

TEST(LoadingCache, XFetchRecomputesEarlyOnlyAsExpiryNearsScaledByBeta) {
    World w(10ms);
    LoadingCache eager(w.engine, w.tier, w.db,
                       {.name = "eager", .ttl = 1s, .protection = StampedeProtection::xfetch,
                        .xfetch_beta = 1e9});
    run_task(w.engine, [&]() -> Task<> {
        co_await eager.get("user:1");  // the load: delta = 10 ms
        for (int i = 0; i < 5; ++i) {
            LoadResult r = co_await eager.get("user:1");
            EXPECT_EQ(r.source, LoadResult::Source::origin);  // recomputed before expiry
        }
    });
    EXPECT_EQ(eager.stats().early_recomputes, 5u);
    EXPECT_EQ(w.db.stats().loads, 6u);

    World calm_world(10ms);
    LoadingCache calm(calm_world.engine, calm_world.tier, calm_world.db,
                      {.name = "calm", .ttl = 1s, .protection = StampedeProtection::xfetch});
    uint64_t early_far = 0, early_near = 0;
    run_task(calm_world.engine, [&]() -> Task<> {
        co_await calm.get("user:2");
        // Far from expiry (990 ms left, delta 10 ms): recomputing needs -ln(u) >= 99, never.
        for (int i = 0; i < 200; ++i) co_await calm.get("user:2");
        early_far = calm.stats().early_recomputes;
        // 1 ms before expiry: -ln(u) >= 0.1 happens about 90% of the time.
        co_await rt::sleep_for(999ms);
        for (int i = 0; i < 20; ++i) {
            co_await calm.get("user:2");
            if (calm.stats().early_recomputes > early_far) break;
        }
        early_near = calm.stats().early_recomputes;
    });
    EXPECT_EQ(early_far, 0u);
    EXPECT_GT(early_near, early_far);
}

TEST(LoadingCache, RefreshAheadServesTheCurrentValueWhileItReloadsInTheBackground) {
    World w(20ms);
    LoadingCache users(w.engine, w.tier, w.db,
                       {.name = "users", .ttl = 100ms, .refresh_ahead = 50ms});
    run_task(w.engine, [&]() -> Task<> {
        co_await users.get("user:4");  // fresh until t = 120 ms (loaded at 20 ms)
        w.db.put_sync({{"user:4", "new"}});
        co_await rt::sleep_for(70ms);  // t = 90: inside the last 50 ms
        rt::TimePoint before = w.engine.clock().now();
        LoadResult during = co_await users.get("user:4");
        EXPECT_EQ(w.engine.clock().now(), before);  // served at once, not after a 20 ms load
        EXPECT_EQ(during.value, "v4");              // the current value meanwhile
        EXPECT_EQ(during.source, LoadResult::Source::cache);
        co_await users.quiesce();
        co_await rt::sleep_for(40ms);  // t > 130: past the first value's expiry
        LoadResult after = co_await users.get("user:4");
        EXPECT_EQ(after.value, "new");
        EXPECT_EQ(after.source, LoadResult::Source::cache);  // the refresh put it there
    });
    EXPECT_EQ(users.stats().background_refreshes, 1u);
    EXPECT_EQ(w.db.stats().loads, 2u);
}

TEST(LoadingCache, ServesStaleValuesForABoundedTimeWhileTheOriginIsDown) {
    World w(10ms);
    LoadingCache users(w.engine, w.tier, w.db,
                       {.name = "users", .ttl = 100ms, .serve_stale_for = 1s});
    LoadingCache strict(w.engine, w.tier, w.db, {.name = "strict", .ttl = 100ms});
    run_task(w.engine, [&]() -> Task<> {
        co_await users.get("user:5");
        w.db.set_available(false);
        co_await rt::sleep_for(200ms);  // expired 100 ms ago
        LoadResult r = co_await users.get("user:5");
        EXPECT_EQ(r.value, "v5");
        EXPECT_TRUE(r.stale());
        EXPECT_THROW(co_await strict.get("user:6"), OriginError);  // nothing stale to serve
        co_await rt::sleep_for(1s);  // now 1.1 s past expiry: too old to serve
        EXPECT_THROW(co_await users.get("user:5"), OriginError);
        w.db.set_available(true);
        LoadResult back = co_await users.get("user:5");
        EXPECT_FALSE(back.stale());
        EXPECT_EQ(back.source, LoadResult::Source::origin);
    });
    EXPECT_EQ(users.stats().stale_served, 1u);
    EXPECT_EQ(w.local.stats().stale_served, 1u);
    EXPECT_EQ(users.stats().errors, 1u);
}

TEST(LoadingCache, RejectsOptionsOutOfRangeWithTheirName) {
    World w;
    auto message = [&](LoadingCacheOptions o) -> std::string {
        try {
            LoadingCache c(w.engine, w.tier, w.db, o);
        } catch (const rt::InvalidArgument& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_NE(message({.ttl = 0s}).find("ttl"), std::string::npos);
    EXPECT_NE(message({.ttl = 1s, .refresh_ahead = 2s}).find("refresh_ahead"), std::string::npos);
    EXPECT_NE(message({.ttl = 1s, .serve_stale_for = -1s}).find("serve_stale_for"),
              std::string::npos);
    EXPECT_NE(message({.xfetch_beta = 0}).find("xfetch_beta"), std::string::npos);
    EXPECT_EQ(cache::stampede_protection_named("xfetch"), StampedeProtection::xfetch);
    EXPECT_EQ(cache::stampede_protection_named("sometimes"), std::nullopt);
}

TEST(CacheAside, ReadsFillTheCacheAndWritesUpdateTheOriginThenDropTheCachedCopy) {
    World w;
    run_task(w.engine, [&]() -> Task<> {
        auto ttl = cache::Ttl::of(10s);
        EXPECT_EQ(co_await cache::cache_aside_get(w.tier, w.db, "user:1", ttl), "v1");
        EXPECT_EQ(w.local.get("user:1"), "v1");
        co_await cache::cache_aside_put(w.tier, w.db, "user:1", "Ada");
        EXPECT_EQ(w.db.get_sync("user:1"), "Ada");
        EXPECT_FALSE(w.local.peek("user:1"));  // dropped: the next read loads the new value
        EXPECT_EQ(co_await cache::cache_aside_get(w.tier, w.db, "user:1", ttl), "Ada");
        w.db.set_available(false);
        EXPECT_THROW(co_await cache::cache_aside_put(w.tier, w.db, "user:1", "Bob"), OriginError);
        EXPECT_EQ(w.local.peek("user:1"), "Ada");  // a failed write leaves the cache alone
    });
    EXPECT_EQ(w.db.stats().loads, 2u);
}

}  // namespace
}  // namespace cs::test
