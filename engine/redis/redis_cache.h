#pragma once
// RedisCache: Redis as a cache tier — the same interface and stats as the local cache, so every
// pattern (cache-aside, read-through with single-flight or XFetch, refresh-ahead, write-through,
// write-behind, versioned keys) runs with Redis behind it. Keys may carry a prefix (a namespace
// shared with other applications); values are stored as Redis strings with SET ... PX.
//
// Times to live are the server's: real milliseconds, which slow motion does not stretch. Redis
// evicts by its own maxmemory-policy, so the capacity shown is 0 (the server's business).
// Failures (Redis down, a timeout) are thrown as RedisError; patterns decide what a failed tier
// means. Thread-safe.
//
//   RedisCache users(engine, client, {.name = "users", .key_prefix = "app:"});
//   LoadingCache loader(engine, users, origin, {.ttl = 30s});
#include <array>
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "cache/cache_tier.h"
#include "cache/observed_cache.h"
#include "cache/recorded_counts.h"
#include "redis/redis_router.h"

namespace cs {
class Engine;
}

namespace cs::redis {

struct RedisCacheOptions {
    std::string name = "redis";
    std::string key_prefix{};                   // before every key; empty: none
    std::optional<rt::Duration> default_ttl{};  // for Ttl::cache_default(); none: no expiry
};

class RedisCache final : public cache::CacheTier, public cache::ObservedCache {
  public:
    RedisCache(RedisRouter& redis, RedisCacheOptions options = {});
    // Listed in the engine's snapshots like a local cache.
    RedisCache(Engine& engine, RedisRouter& redis, RedisCacheOptions options = {});
    ~RedisCache() override;
    RedisCache(const RedisCache&) = delete;
    RedisCache& operator=(const RedisCache&) = delete;

    const std::string& tier_name() const noexcept override { return m_options.name; }
    rt::Task<std::optional<std::string>> get(std::string key) override;
    rt::Task<std::optional<std::string>> peek(std::string key) override;
    void record(cache::Access access) override;
    rt::Task<bool> set(std::string key, std::string value, cache::Ttl ttl) override;
    rt::Task<bool> remove(std::string key) override;
    rt::Task<bool> invalidate(std::string key) override;
    void record_load(bool succeeded, rt::Duration took) override;
    cache::CacheStats tier_stats() const override { return stats(); }

    // Many keys in one round trip per server (a pipeline of GETs: MGET cannot span cluster
    // slots), each counted as a hit or a miss.
    rt::Task<std::vector<std::optional<std::string>>> mget(std::vector<std::string> keys);

    cache::CacheStats stats() const override;
    std::string policy_name() const override { return "redis"; }
    uint64_t capacity() const override { return 0; }
    patterns::LatencySummary load_latency() const override { return m_recorded.load_latency(); }
    RedisRouter& redis() noexcept { return m_redis; }

  private:
    std::string key_in_redis(const std::string& key) const { return m_options.key_prefix + key; }
    Command set_command(const std::string& key, std::string value, const cache::Ttl& ttl) const;
    rt::Task<bool> del(std::string key, cache::RemovalCause cause);

    RedisRouter& m_redis;
    Engine* const m_engine;
    const RedisCacheOptions m_options;
    cache::RecordedCounts m_recorded;  // every read is judged by a pattern or by get()
    std::array<std::atomic<uint64_t>, cache::removal_cause_count> m_removals{};
};

}  // namespace cs::redis
