#include "redis/near_cache.h"

#include "engine.h"
#include "runtime/errors.h"

namespace cs::redis {

namespace {

using WallClock = std::chrono::steady_clock;

// When keys were last written through a near cache of this process, so that an invalidation
// can say how long after its write it evicted (a write from another process is not here).
// Bounded: past the limit it starts over, and older delays are simply unknown.
class RecentWrites {
  public:
    void note(std::string key) {
        std::lock_guard lock(m_mu);
        if (m_at.size() >= limit) m_at.clear();
        m_at[std::move(key)] = WallClock::now();
    }
    std::optional<rt::Duration> since(const std::string& key) const {
        std::lock_guard lock(m_mu);
        auto it = m_at.find(key);
        if (it == m_at.end()) return std::nullopt;
        return std::chrono::duration_cast<rt::Duration>(WallClock::now() - it->second);
    }

  private:
    static constexpr size_t limit = 100'000;
    mutable std::mutex m_mu;
    std::unordered_map<std::string, WallClock::time_point> m_at;
};

RecentWrites& recent_writes() {
    static RecentWrites writes;
    return writes;
}

cache::LocalCacheOptions l1_options(const NearCacheOptions& o) {
    if (o.l1_capacity == 0)
        rt::throw_out_of_range("near cache L1 capacity", 0, ">= 1 (entries)");
    return {.name = o.name + ".l1",
            .capacity = o.l1_capacity,
            .policy = o.l1_policy,
            .default_ttl = o.l1_ttl,
            .janitor_interval = rt::Duration(0)};
}

}  // namespace

NearCache::NearCache(Engine& engine, RedisUrl url, NearCacheOptions options)
    : m_engine(engine),
      m_options(std::move(options)),
      m_server(url.host + ":" + std::to_string(url.port) + "/" + std::to_string(url.db)),
      m_client(url, m_options.client),
      m_l2(m_client, {.name = m_options.name + ".l2",
                      .key_prefix = m_options.key_prefix,
                      .default_ttl = m_options.default_ttl}),
      m_l1(engine.clock(), l1_options(m_options)) {
    telemetry_name = m_options.name;
    telemetry_kind = Kind::cache;
    m_engine.telemetry().register_object(this);
    m_subscriber = std::make_unique<RedisSubscriber>(
        std::move(url), Subscriptions{.channels = {"__redis__:invalidate"}},
        SubscriberHandlers{
            .on_message = [this](const PubSubMessage& m) { on_invalidation(m.payload); },
            .on_connected = [this](long long id) { on_connected(id); },
            .on_lost = [this](const std::string& why) { on_lost(why); }},
        m_options.subscriber);
}

NearCache::~NearCache() {
    m_subscriber.reset();  // no callback runs after this
    m_engine.telemetry().unregister_object(this);
}

std::string NearCache::policy_name() const {
    return "near(" + std::string(cache::to_string(m_options.l1_policy)) + ")";
}

// --- Reads -----------------------------------------------------------------------------------

bool NearCache::get_local(std::string_view key, std::string& value) {
    return m_tracking.load(std::memory_order_acquire) && m_l1.get(key, value);
}

rt::Task<std::optional<std::string>> NearCache::get(std::string key) {
    std::string value;
    if (get_local(key, value)) co_return value;
    std::optional<std::string> found = co_await read_through_l2(std::move(key));
    (found ? m_get_l2_hits : m_get_misses).fetch_add(1, std::memory_order_relaxed);
    co_return found;
}

rt::Task<std::optional<std::string>> NearCache::peek(std::string key) {
    if (m_tracking.load(std::memory_order_acquire)) {
        if (std::optional<std::string> local = m_l1.peek(key)) {
            m_peek_l1_hits.fetch_add(1, std::memory_order_relaxed);
            co_return local;
        }
    }
    std::optional<std::string> found = co_await read_through_l2(std::move(key));
    co_return found;
}

rt::Task<std::optional<std::string>> NearCache::read_through_l2(std::string key) {
    Fill fill = begin_fill(key);
    std::optional<std::string> found = co_await m_l2.peek(key);
    (found ? m_l2_hits : m_misses).fetch_add(1, std::memory_order_relaxed);
    if (found) finish_fill(key, fill, *found);
    co_return found;
}

rt::Task<std::vector<std::optional<std::string>>> NearCache::mget(std::vector<std::string> keys) {
    std::vector<std::optional<std::string>> values(keys.size());
    std::vector<size_t> remote;  // positions L1 could not answer
    std::string local;
    for (size_t i = 0; i < keys.size(); ++i) {
        if (get_local(keys[i], local))
            values[i] = local;
        else
            remote.push_back(i);
    }
    if (remote.empty()) co_return values;
    std::vector<std::string> remote_keys;
    std::vector<Fill> fills;
    for (size_t i : remote) {
        remote_keys.push_back(keys[i]);
        fills.push_back(begin_fill(keys[i]));
    }
    std::vector<std::optional<std::string>> found = co_await m_l2.mget(remote_keys);
    for (size_t j = 0; j < remote.size(); ++j) {
        auto& counter = found[j] ? m_l2_hits : m_misses;
        counter.fetch_add(1, std::memory_order_relaxed);
        (found[j] ? m_get_l2_hits : m_get_misses).fetch_add(1, std::memory_order_relaxed);
        if (found[j]) finish_fill(remote_keys[j], fills[j], *found[j]);
        values[remote[j]] = std::move(found[j]);
    }
    co_return values;
}

NearCache::Fill NearCache::begin_fill(const std::string& key) {
    if (!m_tracking.load(std::memory_order_acquire)) return {};
    std::lock_guard lock(m_fill_mu);
    Fill f{m_next_fill++, m_epoch};
    m_fills[key] = f.id;
    return f;
}

void NearCache::finish_fill(const std::string& key, const Fill& fill, const std::string& value) {
    if (fill.id == 0) return;
    {
        std::lock_guard lock(m_fill_mu);
        auto it = m_fills.find(key);
        bool overtaken = it == m_fills.end() || it->second != fill.id || fill.epoch != m_epoch;
        if (it != m_fills.end() && it->second == fill.id) m_fills.erase(it);
        if (overtaken) {
            m_fills_dropped.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        // Stored under the lock: an invalidation arriving now waits, then evicts it.
        m_l1.set(key, value);
    }
}

// --- Writes ----------------------------------------------------------------------------------

void NearCache::note_write(const std::string& key) {
    recent_writes().note(m_server + " " + m_options.key_prefix + key);
}

rt::Task<bool> NearCache::set(std::string key, std::string value, cache::Ttl ttl) {
    note_write(key);
    bool stored = co_await m_l2.set(key, std::move(value), ttl);
    m_l1.remove(key);
    co_return stored;
}

rt::Task<bool> NearCache::remove(std::string key) {
    note_write(key);
    bool removed = co_await m_l2.remove(key);
    m_l1.remove(key);
    co_return removed;
}

rt::Task<bool> NearCache::invalidate(std::string key) {
    note_write(key);
    bool removed = co_await m_l2.invalidate(key);
    m_l1.invalidate(key);
    co_return removed;
}

// --- The invalidation stream -----------------------------------------------------------------

void NearCache::on_connected(long long client_id) {
    Command tracking{"CLIENT", "TRACKING", "on", "REDIRECT", std::to_string(client_id)};
    if (m_options.broadcast) {
        tracking.push_back("BCAST");
        for (const std::string& p : m_options.broadcast_prefixes) {
            tracking.push_back("PREFIX");
            tracking.push_back(m_options.key_prefix + p);
        }
        if (m_options.broadcast_prefixes.empty() && !m_options.key_prefix.empty()) {
            tracking.push_back("PREFIX");
            tracking.push_back(m_options.key_prefix);
        }
    }
    // New connections first, so that no read from now on runs untracked; then void every read
    // begun before (on an old connection) and start trusting L1.
    // L1 is empty here: flushed when the stream was lost, and unfilled since.
    m_client.set_session({tracking});
    {
        std::lock_guard lock(m_fill_mu);
        ++m_epoch;
        m_fills.clear();
    }
    m_tracking.store(true, std::memory_order_release);
}

void NearCache::on_lost(const std::string& why) {
    m_tracking.store(false, std::memory_order_release);
    flush("invalidation connection lost: " + why);
}

void NearCache::flush(const std::string& why) {
    {
        std::lock_guard lock(m_fill_mu);
        ++m_epoch;
        m_fills.clear();
    }
    uint64_t held = m_l1.size();
    m_l1.clear();
    record_event("flush", "*", "redis: " + why, 0, held);
    // Counted after the event is logged (release; counters() acquires): whoever sees the count
    // finds the event.
    m_flushes.fetch_add(1, std::memory_order_release);
}

void NearCache::on_invalidation(const Reply& keys) {
    if (keys.is_nil()) {  // the server flushed a database (FLUSHALL / FLUSHDB)
        flush("the server flushed its data");
        return;
    }
    if (keys.type == Reply::Type::array) {
        for (const Reply& k : keys.elements) evict(k.str);
    } else if (keys.type == Reply::Type::string) {
        evict(keys.str);
    }
}

void NearCache::evict(const std::string& redis_key) {
    const std::string& prefix = m_options.key_prefix;
    if (redis_key.compare(0, prefix.size(), prefix) != 0) return;  // another application's
    std::string key = redis_key.substr(prefix.size());
    bool held;
    {
        std::lock_guard lock(m_fill_mu);
        m_fills.erase(key);
        held = m_l1.invalidate(key);
    }
    std::optional<rt::Duration> delay = recent_writes().since(m_server + " " + redis_key);
    if (delay) m_delay.record(*delay);
    record_event("key", key, "redis tracking", delay ? delay->count() : 0, held ? 1 : 0);
    // Counted after the event is logged, as a flush is.
    if (held) m_evicted.fetch_add(1, std::memory_order_release);
    m_invalidations.fetch_add(1, std::memory_order_release);
}

void NearCache::record_event(const std::string& cause, const std::string& subject,
                             const std::string& source, int64_t delay_ns, uint64_t entries) {
    telemetry::CacheEvent e;
    e.kind = telemetry::CacheEvent::Kind::invalidation;
    e.time = m_engine.clock().now();
    e.cache_id = telemetry_id;
    e.cache = m_options.name;
    e.cause = cause;
    e.subject = subject;
    e.source = source;
    e.delay_ns = delay_ns;
    e.entries = entries;
    m_engine.telemetry().cache_events().record(std::move(e));
}

// --- Stats -----------------------------------------------------------------------------------

cache::CacheStats NearCache::stats() const {
    cache::CacheStats l1 = m_l1.stats();
    cache::CacheStats s;
    s.hits = l1.hits + m_get_l2_hits.load(std::memory_order_relaxed);
    s.misses = m_get_misses.load(std::memory_order_relaxed);
    m_recorded.add_to(s);
    s.removals = l1.removals;
    s.cost_added = l1.cost_added;
    s.cost_evicted = l1.cost_evicted;
    s.size = l1.size;
    s.weight = l1.weight;
    return s;
}

NearCacheCounters NearCache::counters() const {
    NearCacheCounters c;
    c.l1_hits = m_l1.stats().hits + m_peek_l1_hits.load(std::memory_order_relaxed);
    c.l2_hits = m_l2_hits.load(std::memory_order_relaxed);
    c.misses = m_misses.load(std::memory_order_relaxed);
    c.invalidations = m_invalidations.load(std::memory_order_acquire);
    c.evicted = m_evicted.load(std::memory_order_acquire);
    c.flushes = m_flushes.load(std::memory_order_acquire);
    c.fills_dropped = m_fills_dropped.load(std::memory_order_relaxed);
    c.tracking = m_tracking.load();
    c.invalidation_delay = m_delay.summary();
    return c;
}

}  // namespace cs::redis
