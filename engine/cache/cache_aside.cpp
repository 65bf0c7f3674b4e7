#include "cache/cache_aside.h"

#include "engine.h"
#include "runtime/timers.h"

namespace cs::cache {

rt::Task<std::optional<std::string>> cache_aside_get(CacheTier& tier, Origin& origin,
                                                     std::string key, Ttl ttl,
                                                     std::string cache_key) {
    if (cache_key.empty()) cache_key = key;
    if (auto cached = co_await tier.get(cache_key)) co_return cached;
    Engine& engine = rt::detail::engine_of_current();
    rt::TimePoint started = engine.clock().now();
    std::optional<std::string> value;
    try {
        value = co_await origin.load(key);
    } catch (const OriginError&) {
        tier.record_load(false, engine.clock().now() - started);
        throw;
    }
    tier.record_load(true, engine.clock().now() - started);
    if (value) co_await tier.set(std::move(cache_key), *value, ttl);
    co_return value;
}

rt::Task<void> cache_aside_put(CacheTier& tier, Origin& origin, std::string key, std::string value,
                               std::string cache_key) {
    if (cache_key.empty()) cache_key = key;
    co_await origin.store(std::move(key), std::move(value));
    co_await tier.invalidate(std::move(cache_key));
}

}  // namespace cs::cache
