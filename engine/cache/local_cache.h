#pragma once
// LocalCache: a concurrent in-process cache of string values. Sharded (a lock per shard, each
// with its own eviction policy, a share of the capacity, and a SlotTable holding its entries in
// the hash table itself, so that a hit reads one entry). Under a policy whose hits are
// concurrent (S3-FIFO, the default) reads share the shard's lock without writing a cache line
// another core reads (ShardLock), so gets scale with the cores; capacity by entry count or by
// cost; a time to live per entry (the default, none, or custom) measured on the engine's clock,
// so pause and slow motion apply; a listener told of every removal and its cause; stats.
//
//   LocalCache cache(engine.clock(), {.name = "users", .capacity = 10'000,
//                                     .default_ttl = std::chrono::seconds(30)});
//   cache.set("user:1", "Ada");
//   if (auto v = cache.get("user:1")) use(*v);
//
// Thread-safe. The listener runs on the thread that caused the removal, after the shard's lock
// is released; it must not call back into the cache for the same key synchronously.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/cache_stats.h"
#include "cache/eviction_policy.h"
#include "cache/observed_cache.h"
#include "cache/recorded_counts.h"
#include "cache/ttl.h"
#include "runtime/clock.h"

namespace cs {
class Engine;
}

namespace cs::cache {

class ReaderLanes;

struct LocalCacheOptions {
    std::string name = "cache";
    uint64_t capacity = 10'000;  // entries, or total cost when by_cost; >= 1
    bool by_cost = false;        // false: every entry costs 1
    PolicyKind policy = PolicyKind::s3fifo;
    std::optional<rt::Duration> default_ttl{};  // none: entries do not expire unless set so
    size_t shards = 0;                        // 0: chosen from the capacity and the cores
    // How often the janitor task removes expired entries (a cache on an engine, with a TTL
    // somewhere); 0: never — expired entries then go only when read or evicted.
    rt::Duration janitor_interval = std::chrono::seconds(1);
};

class LocalCache final : public ObservedCache {
  public:
    using Listener =
        std::function<void(const std::string& key, const std::string& value, RemovalCause)>;

    // A cache on its own, on a clock (tests, benchmarks, the simulator).
    LocalCache(rt::Clock& clock, LocalCacheOptions options, Listener listener = {});
    // A cache of the engine: on its clock, listed in its snapshots, every removal an event of
    // its cache event log.
    LocalCache(Engine& engine, LocalCacheOptions options, Listener listener = {});
    ~LocalCache() override;
    LocalCache(const LocalCache&) = delete;
    LocalCache& operator=(const LocalCache&) = delete;

    // A read by the application, counted as a hit or a miss.
    std::optional<std::string> get(std::string_view key);
    // The same read into `value`, whose buffer is reused: no allocation, and no new string to
    // build, for a reader that keeps one buffer (a hot loop). False on a miss (value untouched).
    bool get(std::string_view key, std::string& value);
    // A read by a pattern that decides for itself what it was (a loader may treat a present
    // but logically expired value as a miss): an access for the policy, not counted; the
    // pattern reports the outcome with record().
    std::optional<std::string> peek(std::string_view key);
    void record(Access access);
    // Stores the value (replacing any). Returns false if the policy turned it away (W-TinyLFU's
    // admission, or a cost above a shard's capacity).
    bool set(std::string_view key, std::string value, Ttl ttl = Ttl::cache_default(),
             uint64_t cost = 1);
    bool remove(std::string_view key);      // cause: explicit
    bool invalidate(std::string_view key);  // cause: invalidated
    // Invalidates every key the predicate accepts (a prefix, a tag lookup); returns how many.
    size_t invalidate_if(const std::function<bool(std::string_view key)>& matches);
    // Removes what has expired (the janitor's sweep); returns how many.
    size_t purge_expired();
    void clear();  // everything, cause explicit

    // A load by the read-through patterns: counted in the stats.
    void record_load(bool succeeded, rt::Duration took);

    // A new default time to live for entries set from now on (none: they do not expire).
    void set_default_ttl(std::optional<rt::Duration> ttl);

    // Ends the janitor task (a cache on an engine): what a scenario's cache does when its
    // application stops, so that the engine can run out of tasks. Idempotent.
    void stop_janitor();

    CacheStats stats() const override;
    std::string policy_name() const override { return to_string(m_options.policy); }
    uint64_t capacity() const override { return m_options.capacity; }
    patterns::LatencySummary load_latency() const override { return m_recorded.load_latency(); }
    size_t size() const;
    const std::string& name() const noexcept { return m_options.name; }
    const LocalCacheOptions& options() const noexcept { return m_options; }

    struct Shard;
    struct Removal {
        std::string key, value;
        RemovalCause cause;
    };
    using Removals = std::vector<Removal>;

  private:
    std::optional<std::string> lookup(std::string_view key, bool counted);
    bool lookup_into(std::string_view key, bool counted, std::string& out);
    std::optional<bool> read_shared(Shard& s, uint64_t hash, std::string_view key, bool counted,
                                    std::string& out);
    Shard& shard_for(uint64_t hash) const;
    bool remove_key(std::string_view key, RemovalCause cause);
    int64_t now_ns() const;
    int64_t expiry_for(const Ttl& ttl) const;
    LocalCache(rt::Clock& clock, LocalCacheOptions options, Listener listener, Engine* engine);
    void start_janitor();
    bool telemetry_on() const noexcept;
    // Where a shard should record removals for the listener and the telemetry: nowhere when
    // nobody listens.
    Removals* listening(Removals& removals) const;
    void notify(const Removals& removals) const;

    rt::Clock& m_clock;
    Engine* const m_engine;  // null for a cache on its own
    const LocalCacheOptions m_options;
    const Listener m_listener;
    std::unique_ptr<ReaderLanes> m_lanes;  // the shards' readers, by thread
    std::vector<std::unique_ptr<Shard>> m_shards;
    unsigned m_shard_shift;
    struct Janitor;
    std::shared_ptr<Janitor> m_janitor;  // shared with its task, which may outlive the cache
    std::atomic<int64_t> m_default_ttl_ns;  // 0: none (live: set_default_ttl)
    RecordedCounts m_recorded;  // reads patterns judged themselves, and loads
};

}  // namespace cs::cache
