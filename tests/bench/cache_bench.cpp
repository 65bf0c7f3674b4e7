// Local cache: gets that hit (one and two threads) and sets that overwrite, on 100k string keys
// "key:<i>", all present. Item = one get or one set. Go's go-cache and Ristretto run the same
// shapes in go_reference/cache_ref_test.go.
#include <string>
#include <vector>

#include "bench_support.h"
#include "cache/local_cache.h"

namespace cs::bench {
namespace {

constexpr int cache_keys = 100'000;

const std::vector<std::string>& key_names() {
    static const std::vector<std::string> keys = [] {
        std::vector<std::string> k;
        for (int i = 0; i < cache_keys; ++i) k.push_back("key:" + std::to_string(i));
        return k;
    }();
    return keys;
}

// One filled cache shared by the threads of a benchmark (built by thread 0 before the loop).
cache::LocalCache& filled_cache() {
    static rt::Clock clock;
    static cache::LocalCache* c = [] {
        cache::LocalCacheOptions o;
        o.name = "bench";
        o.capacity = 2 * cache_keys;  // room for all: every get hits
        auto* made = new cache::LocalCache(clock, o);
        for (const auto& k : key_names()) made->set(k, k);
        return made;
    }();
    return *c;
}

// A get into a buffer the loop keeps (the read API for hot loops: nothing allocated, no string
// built), as Go's caches hand back a reference.
void BM_LocalCacheGetHit(benchmark::State& state) {
    cache::LocalCache& c = filled_cache();
    const auto& keys = key_names();
    size_t i = size_t(state.thread_index()) * 7919;
    int64_t hits = 0;
    std::string value;
    for (auto _ : state) {
        hits += c.get(keys[i % cache_keys], value);
        i += 7;
    }
    if (hits != state.iterations()) state.SkipWithError("a get missed");
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LocalCacheGetHit)->UseRealTime();

// The same gets through the convenience API that returns a new std::optional<std::string>.
void BM_LocalCacheGetHitCopy(benchmark::State& state) {
    cache::LocalCache& c = filled_cache();
    const auto& keys = key_names();
    size_t i = 0;
    int64_t hits = 0;
    for (auto _ : state) {
        hits += c.get(keys[i % cache_keys]).has_value();
        i += 7;
    }
    if (hits != state.iterations()) state.SkipWithError("a get missed");
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LocalCacheGetHitCopy)->UseRealTime();

void BM_LocalCacheGetHit2T(benchmark::State& state) {
    BM_LocalCacheGetHit(state);
}
BENCHMARK(BM_LocalCacheGetHit2T)->Threads(2)->UseRealTime();

void BM_LocalCacheSet(benchmark::State& state) {
    cache::LocalCache& c = filled_cache();
    const auto& keys = key_names();
    size_t i = 0;
    for (auto _ : state) {
        const std::string& k = keys[i % cache_keys];
        c.set(k, k);
        i += 7;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LocalCacheSet)->UseRealTime();

}  // namespace
}  // namespace cs::bench
