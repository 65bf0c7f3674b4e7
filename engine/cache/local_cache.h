#pragma once
// LocalCache: a concurrent in-process cache of string values. Sharded (a lock per shard, each
// with its own eviction policy and a share of the capacity); capacity by entry count or by
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
#include "runtime/clock.h"

namespace cs::cache {

struct LocalCacheOptions {
    std::string name = "cache";
    uint64_t capacity = 10'000;  // entries, or total cost when by_cost; >= 1
    bool by_cost = false;        // false: every entry costs 1
    PolicyKind policy = PolicyKind::wtinylfu;
    std::optional<rt::Duration> default_ttl;  // none: entries do not expire unless set so
    size_t shards = 0;                        // 0: chosen from the capacity and the cores
};

// How long an entry lives: the cache's default, forever, or a given time (> 0).
class Ttl {
  public:
    static Ttl cache_default() { return Ttl(Kind::cache_default, rt::Duration(0)); }
    static Ttl none() { return Ttl(Kind::none, rt::Duration(0)); }
    static Ttl of(rt::Duration d);  // InvalidArgument for d <= 0

    enum class Kind { cache_default, none, custom };
    Kind kind() const noexcept { return m_kind; }
    rt::Duration duration() const noexcept { return m_duration; }

  private:
    Ttl(Kind k, rt::Duration d) : m_kind(k), m_duration(d) {}
    Kind m_kind;
    rt::Duration m_duration;
};

class LocalCache {
  public:
    using Listener =
        std::function<void(const std::string& key, const std::string& value, RemovalCause)>;

    LocalCache(rt::Clock& clock, LocalCacheOptions options, Listener listener = {});
    ~LocalCache();
    LocalCache(const LocalCache&) = delete;
    LocalCache& operator=(const LocalCache&) = delete;

    std::optional<std::string> get(std::string_view key);
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

    CacheStats stats() const;
    size_t size() const;
    const LocalCacheOptions& options() const noexcept { return m_options; }

    struct Shard;
    struct Removal {
        std::string key, value;
        RemovalCause cause;
    };
    using Removals = std::vector<Removal>;

  private:
    Shard& shard_for(uint64_t hash) const;
    bool remove_key(std::string_view key, RemovalCause cause);
    int64_t now_ns() const;
    int64_t expiry_for(const Ttl& ttl) const;
    // Where a shard should record removals for the listener: nowhere when nobody listens.
    Removals* listening(Removals& removals) const;
    void notify(const Removals& removals) const;

    rt::Clock& m_clock;
    const LocalCacheOptions m_options;
    const Listener m_listener;
    std::vector<std::unique_ptr<Shard>> m_shards;
    unsigned m_shard_shift;
    std::atomic<uint64_t> m_loads{0}, m_load_failures{0};
    std::atomic<int64_t> m_load_ns{0};
};

}  // namespace cs::cache
