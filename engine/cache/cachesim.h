#pragma once
// The hit-ratio simulator: one key trace replayed through several policies at one capacity
// (entries), each on its own cache — what `chanscope cachesim` prints. LRU, LFU, W-TinyLFU and
// S3-FIFO run in a PolicySimulator; OPT is Belady's offline optimum (belady_opt.h), the upper bound
// the others are measured against. Thread-safe (no shared state).
//
//   CacheSimResult r = simulate_policies(trace, 1000, all_simulated_policies());
//   for (const PolicyOutcome& p : r.outcomes) print(to_string(p.policy), p.hit_ratio);
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace cs::cache {

enum class SimulatedPolicy { lru, lfu, wtinylfu, s3fifo, opt };

const char* to_string(SimulatedPolicy p) noexcept;  // "lru", "lfu", "wtinylfu", "s3fifo", "opt"
std::optional<SimulatedPolicy> simulated_policy_named(std::string_view name);
// lru, lfu, wtinylfu, s3fifo, opt: the order reports list them in (opt last).
const std::vector<SimulatedPolicy>& all_simulated_policies();

struct PolicyOutcome {
    SimulatedPolicy policy;
    uint64_t hits = 0;
    double hit_ratio = 0;  // hits / requests; 0 for an empty trace
};

struct CacheSimResult {
    uint64_t requests = 0;
    uint64_t distinct_keys = 0;
    uint64_t capacity = 0;                // entries, as asked
    std::vector<PolicyOutcome> outcomes;  // in the order of the `policies` asked for
};

// Replays `trace` once per policy in `policies`, each on an empty cache of `capacity` entries.
// Throws rt::InvalidArgument if capacity is 0.
CacheSimResult simulate_policies(const std::vector<uint64_t>& trace, uint64_t capacity,
                                 const std::vector<SimulatedPolicy>& policies);

}  // namespace cs::cache
