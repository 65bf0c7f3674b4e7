#pragma once
// EvictionPolicy: which entries a bounded cache keeps — a strategy the cache consults, not a
// copy of the cache. It sees entries as slot numbers (indexes the cache chooses, stable until
// the cache rebuilds its table and says where each went with relocate()) with a key hash and a
// cost, and answers two questions: may this new entry come in, and which
// entries must go to make room. The cache holds the entries; the policy holds only its own
// bookkeeping. Not thread-safe: a cache shard calls it under its lock.
//
//   std::vector<Slot> evicted;
//   if (policy->admit(slot, hash, cost, evicted)) { ...store... }
//   for (Slot s : evicted) { ...drop s (cause: size)... }
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cs::cache {

using Slot = uint32_t;
constexpr Slot no_slot = UINT32_MAX;

// Where a cache moved its entries when it rebuilt its table: the entry of old slot s is now at
// new_slot_of[s] (no_slot: s held none).
using Relocation = std::vector<Slot>;

inline Slot relocated(Slot s, const Relocation& new_slot_of) {
    return s == no_slot ? no_slot : new_slot_of[s];
}
// A per-slot array rearranged to the new slots; slots that receive nothing hold `fill`.
template <class T>
std::vector<T> relocated(const std::vector<T>& by_slot, const Relocation& new_slot_of,
                         T fill = T{}) {
    Slot top = 0;
    for (Slot s : new_slot_of)
        if (s != no_slot) top = std::max(top, Slot(s + 1));
    std::vector<T> out(top, fill);
    for (size_t old = 0; old < std::min(by_slot.size(), new_slot_of.size()); ++old)
        if (new_slot_of[old] != no_slot) out[new_slot_of[old]] = by_slot[old];
    return out;
}

enum class PolicyKind { lru, lfu, wtinylfu, s3fifo };
constexpr PolicyKind all_policy_kinds[] = {PolicyKind::lru, PolicyKind::lfu, PolicyKind::wtinylfu,
                                           PolicyKind::s3fifo};
const char* to_string(PolicyKind k) noexcept;  // "lru", "lfu", "wtinylfu", "s3fifo"
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

    // The cache moved its entries (it rebuilt its table); every slot the policy holds moves as
    // `new_slot_of` says.
    virtual void relocate(const Relocation& new_slot_of) = 0;

    // The cost of a resident entry, or of one the policy has just evicted.
    virtual uint64_t cost_of(Slot slot) const = 0;
    // Whether on_hit may be called by several threads at once while no other call runs: a
    // cache then serves hits under a shared lock, side by side on every core. Such a policy's
    // on_miss must do nothing. Yes for a policy whose hit only bumps a counter; no for one whose
    // hit reorders lists, which a cache serves under its exclusive lock, handing it the hits in
    // batches (on_hits).
    virtual bool concurrent_hits() const noexcept { return false; }
    virtual uint64_t capacity() const noexcept = 0;
    virtual uint64_t weight() const noexcept = 0;  // summed cost of resident entries
};

// `capacity` in cost units (>= 1); `expected_entries` sizes W-TinyLFU's sketch.
std::unique_ptr<EvictionPolicy> make_policy(PolicyKind kind, uint64_t capacity,
                                            uint64_t expected_entries);

}  // namespace cs::cache
