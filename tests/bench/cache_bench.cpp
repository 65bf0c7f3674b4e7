// Local cache: gets that hit (one and two threads) and sets that overwrite, on 100k string keys
// "key:<i>", all present. Item = one get or one set. Go's go-cache and Ristretto run the same
// shapes in go_reference/cache_ref_test.go.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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

cache::LocalCache* make_filled(std::optional<cache::PolicyKind> policy) {
    static rt::Clock clock;
    cache::LocalCacheOptions o;
    o.name = "bench";
    o.capacity = 2 * cache_keys;  // room for all: every get hits
    if (policy) o.policy = *policy;
    auto* made = new cache::LocalCache(clock, o);
    for (const auto& k : key_names()) made->set(k, k);
    return made;
}

// One filled cache with the default options, shared by the threads of a benchmark.
cache::LocalCache& filled_cache() {
    static cache::LocalCache* c = make_filled(std::nullopt);
    return *c;
}

// One filled cache per eviction policy, for the per-policy twins.
cache::LocalCache& filled_cache(cache::PolicyKind policy) {
    static std::map<cache::PolicyKind, std::unique_ptr<cache::LocalCache>> caches;
    static std::mutex mu;
    std::lock_guard lock(mu);
    auto& c = caches[policy];
    if (!c) c.reset(make_filled(policy));
    return *c;
}

// A get into a buffer the loop keeps (the read API for hot loops: nothing allocated, no string
// built), as Go's caches hand back a reference.
void get_hits(benchmark::State& state, cache::LocalCache& c) {
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

void BM_LocalCacheGetHit(benchmark::State& state) {
    get_hits(state, filled_cache());
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

void sets(benchmark::State& state, cache::LocalCache& c) {
    const auto& keys = key_names();
    size_t i = 0;
    for (auto _ : state) {
        const std::string& k = keys[i % cache_keys];
        c.set(k, k);
        i += 7;
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_LocalCacheSet(benchmark::State& state) {
    sets(state, filled_cache());
}
BENCHMARK(BM_LocalCacheSet)->UseRealTime();

// The same gets and sets on each eviction policy (the default is S3-FIFO): what a policy that
// reorders lists on every hit costs against one that bumps a counter.
[[maybe_unused]] const bool per_policy_registered = [] {
    for (cache::PolicyKind policy : cache::all_policy_kinds) {
        std::string name = cache::to_string(policy);
        benchmark::RegisterBenchmark(("BM_LocalCacheGetHitPolicy/" + name).c_str(),
                                     [policy](benchmark::State& state) {
                                         get_hits(state, filled_cache(policy));
                                     })
            ->UseRealTime();
        benchmark::RegisterBenchmark(("BM_LocalCacheSetPolicy/" + name).c_str(),
                                     [policy](benchmark::State& state) {
                                         sets(state, filled_cache(policy));
                                     })
            ->UseRealTime();
    }
    return true;
}();

}  // namespace
}  // namespace cs::bench
