#pragma once
// CacheStats: what a cache did, as the best libraries report it (Caffeine's CacheStats): hits,
// misses, loads and their failures and time, evictions by cause, cost in and out. A value; two
// of them subtract to give what happened between two instants.
#include <array>
#include <cstdint>

#include "runtime/clock.h"

namespace cs::cache {

enum class RemovalCause : uint8_t {
    size,         // evicted to make room
    expired,      // its time to live ran out
    explicit_,    // removed by the caller
    replaced,     // a set replaced its value
    invalidated,  // an invalidation (by key, prefix, tag or version)
};
constexpr size_t removal_cause_count = 5;
const char* to_string(RemovalCause c) noexcept;  // "size", "expired", "explicit", ...

// What a read by a pattern turned out to be. A stale read (an expired value served because the
// origin failed) counts as a miss and as stale: the fresh value was not there.
enum class Access : uint8_t { hit, miss, stale };

struct CacheStats {
    uint64_t hits = 0, misses = 0;
    uint64_t stale_served = 0;  // of the misses: served an expired value (origin failing)
    uint64_t loads = 0, load_failures = 0;
    rt::Duration total_load_time{0};
    std::array<uint64_t, removal_cause_count> removals{};  // by RemovalCause
    uint64_t cost_added = 0, cost_evicted = 0;             // evicted: cause size
    uint64_t size = 0, weight = 0;                         // now (gauges, not counters)

    double hit_ratio() const noexcept;  // hits / (hits + misses); 0 without requests
    uint64_t removed(RemovalCause c) const noexcept { return removals[static_cast<size_t>(c)]; }
    // Counters since `earlier`; the gauges are this snapshot's.
    CacheStats since(const CacheStats& earlier) const noexcept;
};

}  // namespace cs::cache
