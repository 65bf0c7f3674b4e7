#pragma once
// LoadingCache: read-through. The application asks the cache; on a miss the cache loads from the
// origin itself, stores the value and returns it. Around that core, what production caches add:
//
//  - stampede protection, switchable live: none (every concurrent miss loads: N misses, N
//    loads), single-flight (concurrent misses of a key share one load), or XFetch (probabilistic
//    early expiration: a reader recomputes before expiry with a probability that rises as expiry
//    nears, scaled by how long the last load took — Vattani, Chierichetti, Lowenstein 2015);
//  - refresh-ahead: a read in the last stretch of a value's life starts a background reload and
//    is served the current value meanwhile;
//  - stale on error: when the origin fails, an expired value up to `serve_stale_for` old is
//    served instead, flagged stale in the result and counted in the stats.
//
//   LoadingCache users(engine, tier, origin, {.name = "users", .ttl = 30s});
//   LoadResult r = co_await users.get("user:1");
//   if (r.value) show(*r.value, r.stale());
//
// Thread-safe; get() is called from tasks. Background refreshes are engine tasks: call
// `co_await quiesce()` (or destroy the cache from a thread, which waits) before the tier or the
// origin goes away.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "cache/cache_tier.h"
#include "cache/origin.h"
#include "cache/single_flight.h"
#include "runtime/clock.h"
#include "runtime/random.h"
#include "runtime/task.h"

namespace cs {
class Engine;
}

namespace cs::cache {

enum class StampedeProtection : uint8_t { none, single_flight, xfetch };
const char* to_string(StampedeProtection p) noexcept;
// "none", "single_flight" or "xfetch"; nullopt otherwise.
std::optional<StampedeProtection> stampede_protection_named(std::string_view name);

struct LoadingCacheOptions {
    std::string name = "loader";
    rt::Duration ttl = std::chrono::seconds(30);  // how long a loaded value is fresh; > 0
    StampedeProtection protection = StampedeProtection::single_flight;
    double xfetch_beta = 1.0;                  // XFetch's eagerness: > 1 recomputes earlier; > 0
    rt::Duration refresh_ahead{0};             // reload in the background when less than this
                                               // remains of a value's life; 0: off
    rt::Duration serve_stale_for{0};           // serve a value up to this long past its expiry
                                               // when the origin fails; 0: off
    uint64_t seed = 1;                         // XFetch's draws
    // The key in the tier for an origin key (a versioned namespace's key); empty: the same.
    std::function<std::string(const std::string&)> cache_key{};
};

struct LoadResult {
    enum class Source : uint8_t { cache, origin, stale };
    std::optional<std::string> value;  // nullopt: the origin has no such key
    Source source = Source::cache;
    bool stale() const noexcept { return source == Source::stale; }
};
const char* to_string(LoadResult::Source s) noexcept;

struct LoadingStats {
    uint64_t requests = 0;
    uint64_t hits = 0;          // fresh values from the tier
    uint64_t origin_loads = 0;  // loads that reached the origin (foreground and background)
    uint64_t load_failures = 0;
    uint64_t shared_loads = 0;          // misses served by another caller's load
    uint64_t early_recomputes = 0;      // XFetch recomputed before expiry
    uint64_t background_refreshes = 0;  // refresh-ahead reloads started
    uint64_t stale_served = 0;
    uint64_t errors = 0;  // get() calls that threw (origin failed, nothing stale to serve)
};

class LoadingCache {
  public:
    LoadingCache(Engine& engine, CacheTier& tier, Origin& origin, LoadingCacheOptions options);
    ~LoadingCache();
    LoadingCache(const LoadingCache&) = delete;
    LoadingCache& operator=(const LoadingCache&) = delete;

    // The value for key: fresh from the tier, loaded from the origin, or stale (origin failing).
    // Throws the origin's OriginError when it fails and there is nothing stale to serve.
    rt::Task<LoadResult> get(std::string key);

    // Live switch, for the stampede lesson.
    void set_protection(StampedeProtection p) noexcept { m_protection.store(p); }
    StampedeProtection protection() const noexcept { return m_protection.load(); }
    // Live: values loaded from now on are fresh this long (> refresh_ahead).
    void set_ttl(rt::Duration ttl);
    rt::Duration ttl() const noexcept { return rt::Duration(m_ttl_ns.load()); }

    // Waits until no background refresh is running.
    rt::Task<void> quiesce();

    LoadingStats stats() const;
    const LoadingCacheOptions& options() const noexcept { return m_options; }

  private:
    // One load of key from the origin, stored in the tier on success.
    // (Coroutines: parameters by value, so nothing dangles across a suspension.)
    rt::Task<std::optional<std::string>> load(std::string key);
    // A flight's load: the cached value if it is fresh by now, else load(key). found_fresh lives
    // in the awaiting caller's frame, which outlives this call.
    rt::Task<std::optional<std::string>> fresh_or_load(std::string key, bool& found_fresh);
    std::string tier_key(const std::string& key) const;
    rt::Task<LoadResult> load_for_reader(std::string key,
                                         std::optional<std::string> stale_fallback);
    bool xfetch_says_recompute(int64_t now_ns, const struct StampedValue& v);
    void start_refresh(const std::string& key);
    int64_t now_ns() const;

    Engine& m_engine;
    CacheTier& m_tier;
    Origin& m_origin;
    const LoadingCacheOptions m_options;
    std::atomic<StampedeProtection> m_protection;
    std::atomic<int64_t> m_ttl_ns;
    SingleFlight m_flights;

    std::mutex m_rng_mu;
    rt::Rng m_rng;

    std::mutex m_refresh_mu;  // the keys being refreshed in the background, and their count
    std::condition_variable m_refresh_cv;
    std::set<std::string> m_refreshing;

    struct Counters {
        std::atomic<uint64_t> requests{0}, hits{0}, origin_loads{0}, load_failures{0},
            shared_loads{0}, early_recomputes{0}, background_refreshes{0}, stale_served{0},
            errors{0};
    };
    mutable Counters m_counters;
};

}  // namespace cs::cache
