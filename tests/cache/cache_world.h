#pragma once
// World: what the cache-pattern suites run against — an engine, a real SQLite origin (a temp
// file) and a LocalCache in front of it, through a LocalTier. LRU, so every set is admitted and
// what the cache holds depends on the writes alone.
#include "../engine/test_support.h"
#include "cache/local_cache.h"
#include "cache/local_tier.h"
#include "cache/sqlite_origin.h"

namespace cs::test {

inline cache::LocalCacheOptions world_cache_options() {
    cache::LocalCacheOptions o;
    o.name = "cache";
    o.capacity = 100'000;
    o.policy = cache::PolicyKind::lru;
    return o;
}

struct World {
    explicit World(EngineOptions engine_options = {},
                   cache::SqliteOriginOptions origin_options = {})
        : engine(engine_options),
          db(engine, std::move(origin_options)),
          cache(engine, world_cache_options()),
          tier(cache) {}
    Engine engine;
    cache::SqliteOrigin db;
    cache::LocalCache cache;
    cache::LocalTier tier;
};

}  // namespace cs::test
