#pragma once
// CacheEventLog: what happened to cached entries, for the invalidation log and the cache panel —
// evictions with their cause, invalidations with their subject (a key, a prefix, a tag, a
// namespace version), where they came from and how long they took to arrive. Unlike task events
// these carry strings, so they go to a bounded, mutex-guarded log rather than the lock-free
// rings: a cache evicts far less often than a scheduler switches. When the log is full the
// oldest event goes and is counted as dropped. Thread-safe.
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/clock.h"

namespace cs::telemetry {

struct CacheEvent {
    enum class Kind : uint8_t {
        removal,       // an entry left a cache; `cause` says why
        invalidation,  // an invalidation arrived at a cache (by key, prefix, tag or version)
        version_bump,  // a namespace's version went up: every older key is unreachable
    };
    Kind kind = Kind::removal;
    rt::TimePoint time{};    // engine clock
    uint64_t cache_id = 0;   // telemetry id of the cache (0: not one cache, e.g. a version bump)
    std::string cache;       // its name
    std::string cause;       // removal: size, expired, explicit, replaced, invalidated;
                             // invalidation: key, prefix, tag, version
    std::string subject;     // the key, prefix, tag or namespace
    std::string source;      // who asked (an invalidation's publisher); "" for evictions
    int64_t delay_ns = 0;    // publish to applied (invalidations); 0 otherwise
    uint64_t entries = 0;    // entries it removed (invalidations); 1 for a removal
};

const char* to_string(CacheEvent::Kind k) noexcept;

class CacheEventLog {
  public:
    explicit CacheEventLog(size_t capacity = 50'000);

    void record(CacheEvent event);
    // Events since the previous call, oldest first.
    std::vector<CacheEvent> take_recent();
    uint64_t dropped() const;

  private:
    const size_t m_capacity;
    mutable std::mutex m_mu;
    std::deque<CacheEvent> m_events;
    uint64_t m_dropped = 0;
};

}  // namespace cs::telemetry
