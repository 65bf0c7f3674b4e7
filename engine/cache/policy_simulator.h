#pragma once
// PolicySimulator: an eviction policy with nothing but keys around it — replay a trace and count
// hits. What `chanscope cachesim` and the policy tests run; every access is a get, and a miss
// loads the key (cost 1). Not thread-safe.
//
//   PolicySimulator sim(PolicyKind::wtinylfu, 1000, 100000);
//   for (uint64_t key : trace) sim.access(key);
//   double ratio = sim.hit_ratio();
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "cache/eviction_policy.h"

namespace cs::cache {

class PolicySimulator {
  public:
    PolicySimulator(PolicyKind kind, uint64_t capacity, uint64_t expected_distinct_keys);

    bool access(uint64_t key);  // true on a hit
    bool resident(uint64_t key) const { return m_slot_of.count(key) != 0; }
    size_t size() const noexcept { return m_slot_of.size(); }

    uint64_t hits() const noexcept { return m_hits; }
    uint64_t misses() const noexcept { return m_misses; }
    double hit_ratio() const noexcept;

  private:
    std::unique_ptr<EvictionPolicy> m_policy;
    std::unordered_map<uint64_t, Slot> m_slot_of;
    std::vector<uint64_t> m_key_of;  // by slot
    std::vector<Slot> m_free, m_evicted;
    uint64_t m_hits = 0, m_misses = 0;
};

// A 64-bit mix of a key (splitmix64's finalizer): the hash the policies see.
inline uint64_t mix_hash(uint64_t x) noexcept {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

}  // namespace cs::cache
