#pragma once
// CacheTier: a cache the patterns can sit on — the local cache, Redis, or a near cache of both —
// so read-through, write-through, write-behind, refresh-ahead and single-flight are written
// once. Calls are tasks: a remote tier parks the calling task on I/O, the local tier completes
// at once. Values are opaque strings.
//
//   LocalTier tier(cache);
//   if (auto v = co_await tier.get("user:1")) ...
#include <optional>
#include <string>
#include <vector>

#include "cache/cache_stats.h"
#include "cache/ttl.h"
#include "runtime/task.h"

namespace cs::cache {

class CacheTier {
  public:
    virtual ~CacheTier() = default;

    virtual const std::string& tier_name() const noexcept = 0;
    // A read by the application: counted as a hit or a miss.
    virtual rt::Task<std::optional<std::string>> get(std::string key) = 0;
    // A read by a pattern that decides what it was itself; it reports with record().
    virtual rt::Task<std::optional<std::string>> peek(std::string key) = 0;
    virtual void record(Access access) = 0;
    // False if the tier turned the value away (a local policy's admission).
    virtual rt::Task<bool> set(std::string key, std::string value, Ttl ttl) = 0;
    virtual rt::Task<bool> remove(std::string key) = 0;      // cause: explicit
    virtual rt::Task<bool> invalidate(std::string key) = 0;  // cause: invalidated
    // A load of a missing value from the origin, for the stats.
    virtual void record_load(bool succeeded, rt::Duration took) = 0;
    virtual CacheStats tier_stats() const = 0;
};

}  // namespace cs::cache
