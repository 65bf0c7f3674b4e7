#pragma once
// SlotTable: a cache shard's entries, stored in the hash table itself — a lookup reads one byte
// array that stays in L2 and then the one entry it finds, nothing in between (an index pointing
// into a separate entry array costs a second dependent miss). The layout is a Swiss table's:
// one control byte per slot (empty, deleted, or 7 bits of the key's hash), probed 16 at a time;
// the hash's higher bits choose the first group. A slot number is the entry's position, stable
// until the table is rebuilt; rebuild() says where every entry went, so that the eviction policy
// can follow. Not thread-safe.
#include <cstdint>
#include <memory>
#include <string_view>

#include "cache/cache_entry.h"
#include "cache/eviction_policy.h"

namespace cs::cache {

class SlotTable {
  public:
    SlotTable();

    // The slot holding `key` (hashing to `hash`), or no_slot.
    Slot find(uint64_t hash, std::string_view key) const;

    // Whether an insert must rebuild first (too few free slots): the caller then calls
    // rebuild() and moves whatever refers to slots (the policy) as it says.
    bool needs_rebuild() const noexcept { return m_used + 1 > max_used(m_slot_count); }
    // Rebuilds the table (larger if it is more than half live); returns where each slot went.
    Relocation rebuild();

    // Claims a free slot for a key that is not present; its entry is empty. Requires
    // !needs_rebuild().
    Slot insert(uint64_t hash);
    // Frees a slot (its entry is reset).
    void erase(Slot slot);

    CacheEntry& operator[](Slot slot) noexcept { return m_entries[slot]; }
    const CacheEntry& operator[](Slot slot) const noexcept { return m_entries[slot]; }
    bool holds(Slot slot) const noexcept { return m_ctrl[slot] >= 0; }
    size_t slot_count() const noexcept { return m_slot_count; }
    size_t size() const noexcept { return m_size; }

  private:
    static constexpr int8_t empty = -128, deleted = -2;
    static constexpr size_t group_width = 16;
    static size_t max_used(size_t slots) noexcept { return slots - slots / 8; }  // 7/8
    static int8_t tag_of(uint64_t hash) noexcept { return int8_t(hash & 0x7F); }
    size_t first_group(uint64_t hash) const noexcept { return (hash >> 7) & (m_group_count - 1); }
    void allocate(size_t slots);

    std::unique_ptr<int8_t[]> m_ctrl;  // aligned to a group
    std::unique_ptr<CacheEntry[]> m_entries;
    size_t m_slot_count = 0, m_group_count = 0;
    size_t m_size = 0;  // live entries
    size_t m_used = 0;  // live + deleted
};

}  // namespace cs::cache
