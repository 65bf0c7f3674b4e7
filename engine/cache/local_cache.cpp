#include "cache/local_cache.h"

#include <atomic>
#include <bit>
#include <limits>
#include <thread>

#include "cache/cache_entry.h"
#include "cache/slot_table.h"
#include "cache/key_hash.h"
#include "cache/shard_lock.h"
#include "engine.h"
#include "runtime/context.h"
#include "runtime/errors.h"
#include "runtime/timers.h"

namespace cs::cache {

namespace {

// Counters written under the shard lock (one writer at a time) and read without it.
struct Counter {
    std::atomic<uint64_t> v{0};
    void add(uint64_t n = 1) noexcept {
        v.store(v.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    uint64_t get() const noexcept { return v.load(std::memory_order_relaxed); }
};

// Hits a shard collects before its policy hears of them (BP-Wrapper's batching).
constexpr size_t hit_batch = 64;

}  // namespace

struct LocalCache::Shard {
    Shard(ReaderLanes& lanes, size_t index, std::unique_ptr<EvictionPolicy> p)
        : lock(lanes, index), policy(std::move(p)), shared_reads(policy->concurrent_hits()) {}

    // The writer flag, which every read checks, on a line no counter shares.
    alignas(64) mutable ShardLock lock;
    // Reads under the exclusive lock count here; shared reads count in their reader lanes.
    alignas(64) Counter hits, misses;
    SlotTable table;
    std::unique_ptr<EvictionPolicy> policy;
    // The policy takes hits from several readers at once: reads share the lock. Otherwise a
    // read takes it exclusively, and hits are handed to the policy in batches, so that the
    // policy's scattered memory is loaded for a whole batch at once. Every other policy call
    // applies the pending hits first, so the policy sees exactly the order of events it would
    // have seen unbatched.
    const bool shared_reads;
    uint32_t pending_hits = 0;
    std::array<Slot, hit_batch> hit_buffer;
    std::vector<Slot> evicted;  // scratch
    Counter cost_added, cost_evicted;
    std::array<Counter, removal_cause_count> removals;
    std::atomic<uint64_t> size{0};

    void record_hit(Slot slot) {
        hit_buffer[pending_hits++] = slot;
        if (pending_hits == hit_batch) apply_hits();
    }
    void apply_hits() {
        if (pending_hits == 0) return;
        policy->on_hits(hit_buffer.data(), pending_hits);
        pending_hits = 0;
    }

    // A free slot for a new key, rebuilding the table first if it is too full (the policy
    // follows its entries to their new slots).
    Slot claim(uint64_t hash) {
        if (table.needs_rebuild()) {
            apply_hits();
            policy->relocate(table.rebuild());
        }
        return table.insert(hash);
    }

    // Takes a resident entry out of the policy and the table (expired, deleted, invalidated).
    void remove(Slot slot, RemovalCause cause, Removals* out) {
        apply_hits();
        policy->on_remove(slot);
        drop(slot, cause, out);
    }

    // Frees the slot of an entry the policy no longer holds; tells `out` (when someone listens).
    void drop(Slot slot, RemovalCause cause, Removals* out) {
        CacheEntry& e = table[slot];
        removals[size_t(cause)].add();
        if (cause == RemovalCause::size) cost_evicted.add(policy->cost_of(slot));
        if (out) out->push_back({std::string(e.key()), std::string(e.value()), cause});
        table.erase(slot);
        size.store(table.size(), std::memory_order_relaxed);
    }
};

Ttl Ttl::of(rt::Duration d) {
    if (d <= rt::Duration(0)) rt::throw_out_of_range("time to live (ns)", d.count(), "> 0");
    return Ttl(Kind::custom, d);
}

LocalCache::LocalCache(Engine& engine, LocalCacheOptions options, Listener listener)
    : LocalCache(engine.clock(), std::move(options), std::move(listener), &engine) {}

LocalCache::LocalCache(rt::Clock& clock, LocalCacheOptions options, Listener listener)
    : LocalCache(clock, std::move(options), std::move(listener), nullptr) {}

LocalCache::LocalCache(rt::Clock& clock, LocalCacheOptions options, Listener listener,
                       Engine* engine)
    : m_clock(clock),
      m_engine(engine),
      m_options(std::move(options)),
      m_listener(std::move(listener)) {
    if (m_options.capacity < 1)
        rt::throw_out_of_range("cache capacity", static_cast<long long>(m_options.capacity),
                               "1 ..");
    if (m_options.default_ttl && *m_options.default_ttl <= rt::Duration(0))
        rt::throw_out_of_range("cache default time to live (ns)", m_options.default_ttl->count(),
                               "> 0");
    size_t shards = m_options.shards;
    if (shards == 0) {
        // Enough shards that cores rarely meet on a lock, few enough that each keeps a useful
        // share of the capacity (an LRU of 8 entries is no LRU).
        size_t by_cores =
            std::bit_ceil(size_t(std::max(1u, std::thread::hardware_concurrency())) * 4);
        size_t by_capacity = std::bit_floor(std::max<uint64_t>(1, m_options.capacity / 64));
        shards = std::max<size_t>(1, std::min(by_cores, by_capacity));
    }
    shards = std::bit_ceil(shards);
    m_shard_shift = shards == 1 ? 64 : unsigned(64 - std::countr_zero(shards));
    uint64_t share = std::max<uint64_t>(1, (m_options.capacity + shards - 1) / shards);
    m_lanes = std::make_unique<ReaderLanes>(shards);
    for (size_t i = 0; i < shards; ++i)
        m_shards.push_back(
            std::make_unique<Shard>(*m_lanes, i, make_policy(m_options.policy, share, share)));
    m_default_ttl_ns = m_options.default_ttl ? m_options.default_ttl->count() : 0;
    if (m_options.janitor_interval < rt::Duration(0))
        rt::throw_out_of_range("cache janitor interval (ns)", m_options.janitor_interval.count(),
                               ">= 0 (0: no janitor)");
    if (m_engine) {
        telemetry_name = m_options.name;
        telemetry_kind = Kind::cache;
        m_engine->telemetry().register_object(this);
        if (m_options.janitor_interval > rt::Duration(0)) start_janitor();
    }
}

// The janitor task sweeps while the cache lives. The cache's destructor detaches it under the
// mutex (so a sweep is never cut short halfway) and cancels its sleep.
struct LocalCache::Janitor {
    Janitor(LocalCache* c, rt::CancelFunc cancel) : cache(c), stop(std::move(cancel)) {}
    std::mutex mu;
    LocalCache* cache;
    rt::CancelFunc stop;
};

void LocalCache::start_janitor() {
    auto [ctx, cancel] = rt::with_cancel(rt::Context::background());
    m_janitor = std::make_shared<Janitor>(this, std::move(cancel));
    m_engine->go("janitor " + m_options.name,
                 [janitor = m_janitor, ctx = ctx, every = m_options.janitor_interval]()
                     -> rt::Task<> {
                     while (co_await rt::sleep_for(ctx, every) == rt::Status::ok) {
                         std::lock_guard lock(janitor->mu);
                         if (!janitor->cache) break;
                         janitor->cache->purge_expired();
                     }
                 });
}

void LocalCache::set_default_ttl(std::optional<rt::Duration> ttl) {
    if (ttl && *ttl <= rt::Duration(0))
        rt::throw_out_of_range("cache default time to live (ns)", ttl->count(), "> 0");
    m_default_ttl_ns.store(ttl ? ttl->count() : 0, std::memory_order_relaxed);
}

void LocalCache::stop_janitor() {
    if (!m_janitor) return;
    std::lock_guard lock(m_janitor->mu);
    m_janitor->cache = nullptr;
    m_janitor->stop();
}

LocalCache::~LocalCache() {
    stop_janitor();
    if (m_engine) m_engine->telemetry().unregister_object(this);
}

LocalCache::Shard& LocalCache::shard_for(uint64_t hash) const {
    // The high bits pick the shard; the map inside uses the hash's low bits.
    return *m_shards[m_shard_shift >= 64 ? 0 : size_t(hash >> m_shard_shift)];
}

int64_t LocalCache::now_ns() const {
    return m_clock.now().time_since_epoch().count();
}

int64_t LocalCache::expiry_for(const Ttl& ttl) const {
    switch (ttl.kind()) {
        case Ttl::Kind::none:
            return never_expires;
        case Ttl::Kind::custom:
            return now_ns() + ttl.duration().count();
        case Ttl::Kind::cache_default:
            if (int64_t ttl = m_default_ttl_ns.load(std::memory_order_relaxed)) return now_ns() + ttl;
            return never_expires;
    }
    return never_expires;
}

std::optional<std::string> LocalCache::get(std::string_view key) {
    return lookup(key, /*counted=*/true);
}

std::optional<std::string> LocalCache::peek(std::string_view key) {
    return lookup(key, /*counted=*/false);
}

void LocalCache::record(Access access) {
    m_recorded.record(access);
}

bool LocalCache::get(std::string_view key, std::string& value) {
    return lookup_into(key, /*counted=*/true, value);
}

std::optional<std::string> LocalCache::lookup(std::string_view key, bool counted) {
    std::string value;
    if (!lookup_into(key, counted, value)) return std::nullopt;
    return value;
}

bool LocalCache::lookup_into(std::string_view key, bool counted, std::string& out) {
    uint64_t hash = hash_key(key);
    Shard& s = shard_for(hash);
    if (s.shared_reads) {
        if (std::optional<bool> found = read_shared(s, hash, key, counted, out)) return *found;
    }
    Removals removed;
    bool found = false;
    {
        std::lock_guard lock(s.lock);
        Slot slot = s.table.find(hash, key);
        if (slot == no_slot) {
            if (counted) s.misses.add();
            s.apply_hits();
            s.policy->on_miss(hash);
            return false;
        }
        CacheEntry& e = s.table[slot];
        if (e.expires_ns != never_expires && e.expired_at(now_ns())) {
            if (counted) s.misses.add();
            s.remove(slot, RemovalCause::expired, listening(removed));
        } else {
            if (counted) s.hits.add();
            s.record_hit(slot);
            out.assign(e.value());
            found = true;
        }
    }
    notify(removed);
    return found;
}

// A read beside other readers, for a policy that takes concurrent hits (whose on_miss does
// nothing): whether the key was found fresh; nothing when it has expired, for the exclusive path
// to remove it.
std::optional<bool> LocalCache::read_shared(Shard& s, uint64_t hash, std::string_view key,
                                            bool counted, std::string& out) {
    SharedHold hold = s.lock.lock_shared();
    Slot slot = s.table.find(hash, key);
    if (slot == no_slot) {
        hold.leave(counted ? ReadOutcome::miss : ReadOutcome::uncounted);
        return false;
    }
    const CacheEntry& e = s.table[slot];
    if (e.expires_ns != never_expires && e.expired_at(now_ns())) {
        hold.leave(ReadOutcome::uncounted);
        return std::nullopt;
    }
    s.policy->on_hit(slot);
    out.assign(e.value());
    hold.leave(counted ? ReadOutcome::hit : ReadOutcome::uncounted);
    return true;
}

bool LocalCache::set(std::string_view key, std::string value, Ttl ttl, uint64_t cost) {
    if (!m_options.by_cost) cost = 1;
    uint64_t hash = hash_key(key);
    int64_t expires = expiry_for(ttl);
    Shard& s = shard_for(hash);
    Removals removed;
    Removals* told = listening(removed);
    bool stored = true;
    {
        std::lock_guard lock(s.lock);
        s.apply_hits();
        s.evicted.clear();
        Slot updated = s.table.find(hash, key);
        if (updated != no_slot) {
            CacheEntry& e = s.table[updated];
            if (told) told->push_back({std::string(key), std::string(e.value()),
                                       RemovalCause::replaced});
            s.removals[size_t(RemovalCause::replaced)].add();
            e.replace_value(value);
            e.expires_ns = expires;
            s.cost_added.add(cost);
            s.policy->on_update(updated, hash, cost, s.evicted);
        } else {
            Slot fresh = s.claim(hash);
            if (s.policy->admit(fresh, hash, cost, s.evicted)) {
                CacheEntry& e = s.table[fresh];
                e.assign(key, value);
                e.expires_ns = expires;
                s.cost_added.add(cost);
            } else {
                s.table.erase(fresh);
                stored = false;
            }
        }
        for (Slot v : s.evicted) {
            if (v == updated) stored = false;  // an update that no longer fits
            s.drop(v, RemovalCause::size, told);
        }
        s.size.store(s.table.size(), std::memory_order_relaxed);
    }
    notify(removed);
    return stored;
}

namespace {
template <class Pred>
size_t remove_where(std::vector<std::unique_ptr<LocalCache::Shard>>& shards, RemovalCause cause,
                    Pred pred, LocalCache::Removals* removed) {
    size_t n = 0;
    for (auto& sp : shards) {
        LocalCache::Shard& s = *sp;
        std::lock_guard lock(s.lock);
        std::vector<Slot> doomed;
        for (Slot slot = 0; slot < s.table.slot_count(); ++slot)
            if (s.table.holds(slot) && pred(s.table[slot])) doomed.push_back(slot);
        for (Slot slot : doomed) s.remove(slot, cause, removed);
        n += doomed.size();
    }
    return n;
}
}  // namespace

bool LocalCache::remove(std::string_view key) {
    return remove_key(key, RemovalCause::explicit_);
}

bool LocalCache::invalidate(std::string_view key) {
    return remove_key(key, RemovalCause::invalidated);
}

bool LocalCache::remove_key(std::string_view key, RemovalCause cause) {
    uint64_t hash = hash_key(key);
    Shard& s = shard_for(hash);
    Removals removed;
    {
        std::lock_guard lock(s.lock);
        Slot slot = s.table.find(hash, key);
        if (slot == no_slot) return false;
        s.remove(slot, cause, listening(removed));
    }
    notify(removed);
    return true;
}

size_t LocalCache::invalidate_if(const std::function<bool(std::string_view)>& matches) {
    Removals removed;
    size_t n = remove_where(
        m_shards, RemovalCause::invalidated, [&](const CacheEntry& e) { return matches(e.key()); },
        listening(removed));
    notify(removed);
    return n;
}

size_t LocalCache::purge_expired() {
    int64_t now = now_ns();
    Removals removed;
    size_t n = remove_where(
        m_shards, RemovalCause::expired, [now](const CacheEntry& e) { return e.expired_at(now); },
        listening(removed));
    notify(removed);
    return n;
}

void LocalCache::clear() {
    Removals removed;
    remove_where(
        m_shards, RemovalCause::explicit_, [](const CacheEntry&) { return true; },
        listening(removed));
    notify(removed);
}

void LocalCache::record_load(bool succeeded, rt::Duration took) {
    m_recorded.record_load(succeeded, took);
}

LocalCache::Removals* LocalCache::listening(Removals& removals) const {
    return m_listener || telemetry_on() ? &removals : nullptr;
}

bool LocalCache::telemetry_on() const noexcept {
    return m_engine && m_engine->telemetry().enabled();
}

void LocalCache::notify(const Removals& removals) const {
    if (removals.empty()) return;
    if (telemetry_on()) {
        auto& log = m_engine->telemetry().cache_events();
        rt::TimePoint now = m_clock.now();
        for (const Removal& r : removals) {
            telemetry::CacheEvent e;
            e.kind = telemetry::CacheEvent::Kind::removal;
            e.time = now;
            e.cache_id = telemetry_id;
            e.cache = m_options.name;
            e.cause = to_string(r.cause);
            e.subject = r.key;
            e.entries = 1;
            log.record(std::move(e));
        }
    }
    if (m_listener)
        for (const Removal& r : removals) m_listener(r.key, r.value, r.cause);
}

CacheStats LocalCache::stats() const {
    CacheStats out;
    m_recorded.add_to(out);
    out.hits += m_lanes->hits();
    out.misses += m_lanes->misses();
    for (const auto& sp : m_shards) {
        Shard& s = *sp;
        out.hits += s.hits.get();
        out.misses += s.misses.get();
        out.cost_added += s.cost_added.get();
        out.cost_evicted += s.cost_evicted.get();
        for (size_t i = 0; i < removal_cause_count; ++i) out.removals[i] += s.removals[i].get();
        out.size += s.size.load(std::memory_order_relaxed);
        std::lock_guard lock(s.lock);
        s.apply_hits();
        out.weight += s.policy->weight();
    }
    return out;
}

size_t LocalCache::size() const {
    size_t n = 0;
    for (const auto& sp : m_shards) n += sp->size.load(std::memory_order_relaxed);
    return n;
}

}  // namespace cs::cache
