#pragma once
// NearCache: a local L1 in front of Redis (L2), kept coherent by Redis's client-side caching.
// Reads come from L1 when they can and from Redis otherwise; the server remembers which keys
// this client read (or, in broadcast mode, watches whole prefixes) and, when any client writes
// one, pushes an invalidation to this cache's subscriber connection (CLIENT TRACKING on
// REDIRECT <its id>, RESP2's __redis__:invalidate channel), which evicts the L1 entry.
//
// Trust rules, each for a reason:
// - L1 is used only while the invalidation stream is up. When it drops, invalidations may have
//   been missed: L1 is flushed and bypassed until the subscriber is back and tracking is on
//   again, and the flush is an event saying why.
// - Only reads fill L1: in default mode the server tracks a key only once this client has read
//   it, so a value put in L1 by a write would never be invalidated. A write goes to Redis and
//   drops the local copy.
// - A read that an invalidation overtakes (the value was read, another client wrote, the
//   invalidation arrived before the read's reply was stored) does not fill L1: it would put back
//   the value just invalidated.
//
// Every invalidation is an event of the engine's cache event log with the key and the delay
// from the write to the eviction — known when the write went through a near cache of this
// process (real time: a network's delay is not slowed by slow motion), 0 otherwise.
//
//   NearCache users(engine, parse_redis_url("redis://127.0.0.1:6379"), {.name = "users"});
//   co_await users.set("user:1", "Ada", Ttl::cache_default());
//   auto v = co_await users.get("user:1");        // Redis, then L1 for the next reads
//
// Thread-safe. A single Redis server (client-side caching is per node).
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cache/cache_tier.h"
#include "cache/local_cache.h"
#include "cache/observed_cache.h"
#include "cache/recorded_counts.h"
#include "patterns/latency_histogram.h"
#include "redis/redis_cache.h"
#include "redis/redis_client.h"
#include "redis/redis_subscriber.h"

namespace cs {
class Engine;
}

namespace cs::redis {

struct NearCacheOptions {
    std::string name = "near";
    uint64_t l1_capacity = 10'000;                   // entries, >= 1
    cache::PolicyKind l1_policy = cache::PolicyKind::s3fifo;
    std::optional<rt::Duration> l1_ttl{};            // a bound on L1 life; none: until invalidated
    std::string key_prefix{};                        // before every key in Redis
    std::optional<rt::Duration> default_ttl{};       // Redis's, for Ttl::cache_default()
    // Broadcast mode: the server invalidates every key under these prefixes, read or not —
    // no per-client key table on the server, more messages. Off: only keys this client read.
    bool broadcast = false;
    std::vector<std::string> broadcast_prefixes{};  // empty in broadcast mode: every key
    RedisClientOptions client{};
    SubscriberOptions subscriber{};
};

struct NearCacheCounters {
    // Reads (by the application or a pattern) by where they were answered.
    uint64_t l1_hits = 0, l2_hits = 0, misses = 0;
    uint64_t invalidations = 0;     // messages naming a key (each evicts it if held)
    uint64_t evicted = 0;           // of those, L1 held the key
    uint64_t flushes = 0;           // L1 emptied: stream lost, or the server flushed
    uint64_t fills_dropped = 0;     // reads an invalidation overtook, kept out of L1
    bool tracking = false;          // the stream is up and L1 in use
    patterns::LatencySummary invalidation_delay;  // write to eviction, where the write is known
};

class NearCache final : public cache::CacheTier, public cache::ObservedCache {
  public:
    // Connects in the background; until tracking is on, reads go to Redis. Throws
    // rt::InvalidArgument for options out of range.
    NearCache(Engine& engine, RedisUrl url, NearCacheOptions options = {});
    ~NearCache() override;
    NearCache(const NearCache&) = delete;
    NearCache& operator=(const NearCache&) = delete;

    // The L1 read get() starts with: true on a hit (counted), the value copied into `value`.
    bool get_local(std::string_view key, std::string& value);

    const std::string& tier_name() const noexcept override { return m_options.name; }
    rt::Task<std::optional<std::string>> get(std::string key) override;
    rt::Task<std::optional<std::string>> peek(std::string key) override;
    void record(cache::Access access) override { m_recorded.record(access); }
    rt::Task<bool> set(std::string key, std::string value, cache::Ttl ttl) override;
    rt::Task<bool> remove(std::string key) override;
    rt::Task<bool> invalidate(std::string key) override;
    void record_load(bool succeeded, rt::Duration took) override {
        m_recorded.record_load(succeeded, took);
    }
    cache::CacheStats tier_stats() const override { return stats(); }

    // Many keys: those in L1 from there, the rest in one round trip to Redis (filling L1), each
    // counted as a hit or a miss.
    rt::Task<std::vector<std::optional<std::string>>> mget(std::vector<std::string> keys);

    cache::CacheStats stats() const override;
    std::string policy_name() const override;  // "near(<l1 policy>)"
    uint64_t capacity() const override { return m_options.l1_capacity; }
    patterns::LatencySummary load_latency() const override { return m_recorded.load_latency(); }

    NearCacheCounters counters() const;
    bool tracking() const noexcept { return m_tracking.load(); }
    RedisClient& client() noexcept { return m_client; }
    size_t l1_size() const { return m_l1.size(); }

  private:
    struct Fill {
        uint64_t id = 0;  // 0: do not fill (tracking off)
        uint64_t epoch = 0;
    };
    Fill begin_fill(const std::string& key);
    void finish_fill(const std::string& key, const Fill& fill, const std::string& value);
    // A read from Redis that may fill L1.
    rt::Task<std::optional<std::string>> read_through_l2(std::string key);
    void note_write(const std::string& key);

    // Subscriber callbacks.
    void on_connected(long long client_id);
    void on_lost(const std::string& why);
    void on_invalidation(const Reply& keys);
    void evict(const std::string& redis_key);
    void flush(const std::string& why);
    void record_event(const std::string& cause, const std::string& subject,
                      const std::string& source, int64_t delay_ns, uint64_t entries);

    Engine& m_engine;
    const NearCacheOptions m_options;
    const std::string m_server;  // host:port/db, to tell this server's writes from others'
    RedisClient m_client;
    RedisCache m_l2;
    cache::LocalCache m_l1;
    cache::RecordedCounts m_recorded;
    std::atomic<bool> m_tracking{false};
    std::atomic<uint64_t> m_peek_l1_hits{0}, m_l2_hits{0}, m_misses{0};  // every read
    std::atomic<uint64_t> m_get_l2_hits{0}, m_get_misses{0};  // the application's, for stats()
    std::atomic<uint64_t> m_invalidations{0}, m_evicted{0}, m_flushes{0}, m_fills_dropped{0};
    mutable std::mutex m_fill_mu;  // guards the fills and the epoch
    std::unordered_map<std::string, uint64_t> m_fills;  // key -> the latest read's id
    uint64_t m_next_fill = 1;
    uint64_t m_epoch = 0;  // bumped by every flush: fills begun before it are void
    patterns::LatencyHistogram m_delay;
    std::unique_ptr<RedisSubscriber> m_subscriber;  // last: its thread calls into the above
};

}  // namespace cs::redis
