#include "cache/cachesim.h"

#include <algorithm>
#include <unordered_set>

#include "cache/belady_opt.h"
#include "cache/policy_simulator.h"
#include "runtime/errors.h"

namespace cs::cache {

namespace {
// The eviction policy a simulated one runs (every one but opt, which is computed offline).
PolicyKind policy_kind_of(SimulatedPolicy p) noexcept {
    return p == SimulatedPolicy::lru      ? PolicyKind::lru
           : p == SimulatedPolicy::lfu    ? PolicyKind::lfu
           : p == SimulatedPolicy::s3fifo ? PolicyKind::s3fifo
                                          : PolicyKind::wtinylfu;
}
}  // namespace

const char* to_string(SimulatedPolicy p) noexcept {
    return p == SimulatedPolicy::opt ? "opt" : to_string(policy_kind_of(p));
}

std::optional<SimulatedPolicy> simulated_policy_named(std::string_view name) {
    for (SimulatedPolicy p : all_simulated_policies())
        if (name == to_string(p)) return p;
    return std::nullopt;
}

const std::vector<SimulatedPolicy>& all_simulated_policies() {
    static const std::vector<SimulatedPolicy> all = {SimulatedPolicy::lru, SimulatedPolicy::lfu,
                                                     SimulatedPolicy::wtinylfu,
                                                     SimulatedPolicy::s3fifo, SimulatedPolicy::opt};
    return all;
}

CacheSimResult simulate_policies(const std::vector<uint64_t>& trace, uint64_t capacity,
                                 const std::vector<SimulatedPolicy>& policies) {
    if (capacity < 1)
        rt::throw_out_of_range("cache capacity", static_cast<long long>(capacity), "1 ..");
    CacheSimResult r;
    r.requests = trace.size();
    r.capacity = capacity;
    r.distinct_keys = std::unordered_set<uint64_t>(trace.begin(), trace.end()).size();
    // A cache that holds every key never evicts, whatever its size, so the policies run at
    // most that large: same hits, and W-TinyLFU's sketch (sized by capacity) stays small when
    // someone asks for 2^32 entries.
    uint64_t effective = std::clamp<uint64_t>(r.distinct_keys, 1, capacity);

    for (SimulatedPolicy p : policies) {
        PolicyOutcome o{p};
        if (p == SimulatedPolicy::opt) {
            o.hits = belady_opt_hits(trace, effective);
        } else {
            PolicySimulator sim(policy_kind_of(p), effective, r.distinct_keys);
            for (uint64_t key : trace) sim.access(key);
            o.hits = sim.hits();
        }
        o.hit_ratio = r.requests ? double(o.hits) / double(r.requests) : 0.0;
        r.outcomes.push_back(o);
    }
    return r;
}

}  // namespace cs::cache
