#pragma once
// EvictionPolicy: which entries a bounded cache keeps — a strategy the cache consults, not a
// copy of the cache. It sees entries as slot numbers (stable indexes the cache chooses) with a
// key hash and a cost, and answers two questions: may this new entry come in, and which
// entries must go to make room. The cache holds the entries; the policy holds only its own
// bookkeeping. Not thread-safe: a cache shard calls it under its lock.
//
//   std::vector<Slot> evicted;
//   if (policy->admit(slot, hash, cost, evicted)) { ...store... }
//   for (Slot s : evicted) { ...drop s (cause: size)... }
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cs::cache {

using Slot = uint32_t;

enum class PolicyKind { lru, lfu, wtinylfu };
const char* to_string(PolicyKind k) noexcept;  // "lru", "lfu", "wtinylfu"
std::optional<PolicyKind> policy_kind_named(std::string_view name);

class EvictionPolicy {
  public:
    virtual ~EvictionPolicy() = default;

    // A new entry wants in. Appends to `evicted` the entries (never `slot` itself) that left to
    // make room; returns false if the newcomer itself is turned away (W-TinyLFU's admission, or
    // a cost above the whole capacity).
    virtual bool admit(Slot slot, uint64_t key_hash, uint64_t cost, std::vector<Slot>& evicted) = 0;
    // A hit on a resident entry.
    virtual void on_hit(Slot slot) = 0;
    // Hits on resident entries, in order: what a cache that buffers its reads hands over in one
    // go (BP-Wrapper's batching), so a policy can start loading the memory of all of them
    // before it updates any.
    virtual void on_hits(const Slot* slots, size_t count) {
        for (size_t i = 0; i < count; ++i) on_hit(slots[i]);
    }
    // A lookup that found nothing (a frequency sketch counts those too).
    virtual void on_miss(uint64_t key_hash) { (void)key_hash; }
    // The entry left for another reason (deleted, expired, invalidated).
    virtual void on_remove(Slot slot) = 0;
    // The entry's value was replaced (possibly with another cost); `evicted` may include `slot`
    // itself if it no longer fits.
    virtual void on_update(Slot slot, uint64_t key_hash, uint64_t new_cost,
                           std::vector<Slot>& evicted) = 0;

    virtual uint64_t capacity() const noexcept = 0;
    virtual uint64_t weight() const noexcept = 0;  // summed cost of resident entries
};

// `capacity` in cost units (>= 1); `expected_entries` sizes W-TinyLFU's sketch.
std::unique_ptr<EvictionPolicy> make_policy(PolicyKind kind, uint64_t capacity,
                                            uint64_t expected_entries);

}  // namespace cs::cache
