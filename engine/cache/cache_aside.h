#pragma once
// Cache-aside: the application, not the cache, talks to the origin. Reads look in the cache and
// on a miss read the origin and fill the cache; writes go to the origin and then delete the
// cached copy, so the next read loads the new value. (Deleting rather than setting avoids the
// race where two writers' cache sets land in the opposite order of their origin writes.)
//
//   auto user = co_await cache_aside_get(tier, db, "user:1", Ttl::of(30s));
//   co_await cache_aside_put(tier, db, "user:1", "Ada");
#include <optional>
#include <string>

#include "cache/cache_tier.h"
#include "cache/origin.h"

namespace cs::cache {

// `cache_key`: the key in the tier when it differs from the origin's (a versioned namespace's
// key); empty: the same.
rt::Task<std::optional<std::string>> cache_aside_get(CacheTier& tier, Origin& origin,
                                                     std::string key, Ttl ttl,
                                                     std::string cache_key = {});
// Origin first; the cached copy is deleted only once the origin has the new value.
rt::Task<void> cache_aside_put(CacheTier& tier, Origin& origin, std::string key, std::string value,
                               std::string cache_key = {});

}  // namespace cs::cache
