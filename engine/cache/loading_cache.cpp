#include "cache/loading_cache.h"

#include <cmath>

#include "cache/stamped_value.h"
#include "engine.h"
#include "runtime/errors.h"
#include "runtime/timers.h"

namespace cs::cache {

const char* to_string(StampedeProtection p) noexcept {
    switch (p) {
        case StampedeProtection::none:
            return "none";
        case StampedeProtection::single_flight:
            return "single_flight";
        case StampedeProtection::xfetch:
            return "xfetch";
    }
    return "?";
}

std::optional<StampedeProtection> stampede_protection_named(std::string_view name) {
    for (auto p :
         {StampedeProtection::none, StampedeProtection::single_flight, StampedeProtection::xfetch})
        if (name == to_string(p)) return p;
    return std::nullopt;
}

const char* to_string(LoadResult::Source s) noexcept {
    switch (s) {
        case LoadResult::Source::cache:
            return "cache";
        case LoadResult::Source::origin:
            return "origin";
        case LoadResult::Source::stale:
            return "stale";
    }
    return "?";
}

LoadingCache::LoadingCache(Engine& engine, CacheTier& tier, Origin& origin,
                           LoadingCacheOptions options)
    : m_engine(engine),
      m_tier(tier),
      m_origin(origin),
      m_options(std::move(options)),
      m_protection(m_options.protection),
      m_ttl_ns(m_options.ttl.count()),
      m_rng(m_options.seed) {
    if (m_options.ttl <= rt::Duration(0))
        rt::throw_out_of_range("loading cache ttl (ns)", m_options.ttl.count(), "> 0");
    if (!(m_options.xfetch_beta > 0))
        throw rt::InvalidArgument("loading cache xfetch_beta: must be > 0 (1 is XFetch's default)");
    if (m_options.refresh_ahead < rt::Duration(0) || m_options.refresh_ahead >= m_options.ttl)
        rt::throw_out_of_range("loading cache refresh_ahead (ns)", m_options.refresh_ahead.count(),
                               "0 (off) .. less than the ttl");
    if (m_options.serve_stale_for < rt::Duration(0))
        rt::throw_out_of_range("loading cache serve_stale_for (ns)",
                               m_options.serve_stale_for.count(), ">= 0 (0: off)");
}

void LoadingCache::set_ttl(rt::Duration ttl) {
    if (ttl <= m_options.refresh_ahead || ttl <= rt::Duration(0))
        rt::throw_out_of_range(
            "loading cache ttl (ns)", ttl.count(),
            "> 0 and > refresh_ahead (" + std::to_string(m_options.refresh_ahead.count()) + " ns)");
    m_ttl_ns.store(ttl.count());
}

LoadingCache::~LoadingCache() {
    std::unique_lock lock(m_refresh_mu);
    m_refresh_cv.wait(lock, [&] { return m_refreshing.empty(); });
}

std::string LoadingCache::tier_key(const std::string& key) const {
    return m_options.cache_key ? m_options.cache_key(key) : key;
}

int64_t LoadingCache::now_ns() const {
    return m_engine.clock().now().time_since_epoch().count();
}

rt::Task<LoadResult> LoadingCache::get(std::string key) {
    m_counters.requests.fetch_add(1, std::memory_order_relaxed);
    int64_t now = now_ns();
    std::optional<std::string> stale_fallback;
    if (auto raw = co_await m_tier.peek(tier_key(key))) {
        if (auto stamped = StampedValue::decode(*raw)) {
            if (now < stamped->fresh_until_ns) {
                m_counters.hits.fetch_add(1, std::memory_order_relaxed);
                m_tier.record(Access::hit);
                if (protection() == StampedeProtection::xfetch &&
                    xfetch_says_recompute(now, *stamped)) {
                    m_counters.early_recomputes.fetch_add(1, std::memory_order_relaxed);
                    std::optional<std::string> fresh;
                    bool reloaded = false;
                    try {
                        fresh = co_await load(key);
                        reloaded = true;
                    } catch (const OriginError&) {
                        // The current value is still fresh: serve it; a later reader retries.
                    }
                    if (reloaded)
                        co_return LoadResult{std::move(fresh), LoadResult::Source::origin};
                } else if (m_options.refresh_ahead > rt::Duration(0) &&
                           stamped->fresh_until_ns - now <= m_options.refresh_ahead.count()) {
                    start_refresh(key);
                }
                co_return LoadResult{std::move(stamped->value), LoadResult::Source::cache};
            }
            if (now < stamped->fresh_until_ns + m_options.serve_stale_for.count())
                stale_fallback = std::move(stamped->value);
        }
    }
    co_return co_await load_for_reader(std::move(key), std::move(stale_fallback));
}

rt::Task<LoadResult> LoadingCache::load_for_reader(std::string key,
                                                   std::optional<std::string> stale_fallback) {
    bool failed = false;
    std::optional<std::string> value;
    try {
        if (protection() == StampedeProtection::single_flight) {
            // A named function, not a temporary in the co_await expression: GCC 12 destroys
            // such temporaries twice.
            // The leader looks again before loading: a reader that missed just before an
            // earlier flight stored the value and ended would otherwise load the key again.
            bool found_fresh = false;
            SingleFlight::Load loader = [this, key, &found_fresh]() {
                return fresh_or_load(key, found_fresh);
            };
            SingleFlight::Outcome outcome = co_await m_flights.run(key, std::move(loader));
            if (!outcome.led || found_fresh)
                m_counters.shared_loads.fetch_add(1, std::memory_order_relaxed);
            value = std::move(outcome.value);
        } else {
            value = co_await load(key);
        }
    } catch (const OriginError&) {
        if (!stale_fallback) {
            m_tier.record(Access::miss);
            m_counters.errors.fetch_add(1, std::memory_order_relaxed);
            throw;
        }
        failed = true;
    }
    if (failed) {  // graceful degradation: the last known value, flagged
        m_tier.record(Access::stale);
        m_counters.stale_served.fetch_add(1, std::memory_order_relaxed);
        co_return LoadResult{std::move(stale_fallback), LoadResult::Source::stale};
    }
    m_tier.record(Access::miss);
    co_return LoadResult{std::move(value), LoadResult::Source::origin};
}

rt::Task<std::optional<std::string>> LoadingCache::load(std::string key) {
    m_counters.origin_loads.fetch_add(1, std::memory_order_relaxed);
    int64_t started = now_ns();
    std::optional<std::string> value;
    try {
        value = co_await m_origin.load(key);
    } catch (...) {
        m_counters.load_failures.fetch_add(1, std::memory_order_relaxed);
        m_tier.record_load(false, rt::Duration(now_ns() - started));
        throw;
    }
    int64_t finished = now_ns();
    m_tier.record_load(true, rt::Duration(finished - started));
    if (value) {
        rt::Duration fresh_for = ttl();
        StampedValue stamped{finished + fresh_for.count(), finished - started, *value};
        // Kept past its freshness for as long as it may be served stale.
        co_await m_tier.set(tier_key(key), stamped.encode(),
                            Ttl::of(fresh_for + m_options.serve_stale_for));
    }
    co_return value;
}

rt::Task<std::optional<std::string>> LoadingCache::fresh_or_load(std::string key,
                                                                 bool& found_fresh) {
    if (auto raw = co_await m_tier.peek(tier_key(key))) {
        if (auto stamped = StampedValue::decode(*raw);
            stamped && now_ns() < stamped->fresh_until_ns) {
            found_fresh = true;
            co_return std::move(stamped->value);
        }
    }
    co_return co_await load(std::move(key));
}

// XFetch: recompute when now - delta * beta * ln(u) >= expiry, u uniform in (0, 1]. The
// further from expiry and the quicker the load, the less likely.
bool LoadingCache::xfetch_says_recompute(int64_t now, const StampedValue& v) {
    double u;
    {
        std::lock_guard lock(m_rng_mu);
        u = (double(m_rng.next() >> 11) + 1.0) / 9007199254740992.0;  // (0, 1]
    }
    double delta = double(std::max<int64_t>(v.load_ns, 1));
    return double(now) - delta * m_options.xfetch_beta * std::log(u) >= double(v.fresh_until_ns);
}

void LoadingCache::start_refresh(const std::string& key) {
    {
        std::lock_guard lock(m_refresh_mu);
        if (!m_refreshing.insert(key).second) return;  // one refresh per key at a time
    }
    m_counters.background_refreshes.fetch_add(1, std::memory_order_relaxed);
    m_engine.go("refresh " + key, [this, key]() -> rt::Task<> {
        try {
            co_await load(key);
        } catch (const OriginError&) {
            // The current value stays until it expires; the next read near expiry tries again.
        }
        std::lock_guard lock(m_refresh_mu);
        m_refreshing.erase(key);
        m_refresh_cv.notify_all();
    });
}

rt::Task<void> LoadingCache::quiesce() {
    for (;;) {
        {
            std::lock_guard lock(m_refresh_mu);
            if (m_refreshing.empty()) co_return;
        }
        co_await rt::sleep_for(std::chrono::milliseconds(1));
    }
}

LoadingStats LoadingCache::stats() const {
    auto get = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    LoadingStats s;
    s.requests = get(m_counters.requests);
    s.hits = get(m_counters.hits);
    s.origin_loads = get(m_counters.origin_loads);
    s.load_failures = get(m_counters.load_failures);
    s.shared_loads = get(m_counters.shared_loads);
    s.early_recomputes = get(m_counters.early_recomputes);
    s.background_refreshes = get(m_counters.background_refreshes);
    s.stale_served = get(m_counters.stale_served);
    s.errors = get(m_counters.errors);
    return s;
}

}  // namespace cs::cache
