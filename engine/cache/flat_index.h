#pragma once
// FlatIndex: key hash -> slot, as one array of 64-bit words with linear probing — the lookup a
// cache shard does on every get, in one cache line where a node-based map takes three. A word
// holds the hash's low 32 bits (a tag that rules out most mismatches without touching the
// entry, and from which the word's home position follows, so moving words never asks for the
// entry's hash) and the slot + 1 (0 marks an empty word). Deletion shifts the following words
// back, so there are no tombstones. The caller confirms a tag match by comparing the entry's key.
// Not thread-safe.
#include <cstdint>
#include <vector>

#include "cache/eviction_policy.h"

namespace cs::cache {

class FlatIndex {
  public:
    FlatIndex() { m_words.assign(16, 0); }

    // Calls `is_key(slot)` for each slot whose tag matches; returns the first it accepts.
    template <class IsKey>
    Slot find(uint64_t hash, IsKey is_key) const {
        uint32_t tag = tag_of(hash);
        for (size_t pos = hash & mask();; pos = (pos + 1) & mask()) {
            uint64_t w = m_words[pos];
            if (w == 0) return no_slot_value;
            if (uint32_t(w >> 32) == tag && is_key(Slot(uint32_t(w) - 1)))
                return Slot(uint32_t(w) - 1);
        }
    }

    // The key must not be present.
    void insert(uint64_t hash, Slot slot) {
        if ((m_count + 1) * 2 > m_words.size()) grow();
        place(hash, slot);
        ++m_count;
    }

    // Removes the word for `slot` (which must be present under `hash`).
    void erase(uint64_t hash, Slot slot) {
        size_t pos = hash & mask();
        while (uint32_t(m_words[pos]) != slot + 1) pos = (pos + 1) & mask();
        // Backward shift: pull later words of the run into the hole when their home allows.
        size_t hole = pos;
        for (size_t next = (hole + 1) & mask(); m_words[next] != 0; next = (next + 1) & mask()) {
            size_t home = (m_words[next] >> 32) & mask();
            bool movable =
                hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (movable) {
                m_words[hole] = m_words[next];
                hole = next;
            }
        }
        m_words[hole] = 0;
        --m_count;
    }

    size_t size() const noexcept { return m_count; }
    static constexpr Slot no_slot_value = UINT32_MAX;

  private:
    static uint32_t tag_of(uint64_t hash) noexcept { return uint32_t(hash); }
    size_t mask() const noexcept { return m_words.size() - 1; }
    void place(uint64_t hash, Slot slot) {
        size_t pos = hash & mask();
        while (m_words[pos] != 0) pos = (pos + 1) & mask();
        m_words[pos] = (uint64_t(tag_of(hash)) << 32) | (uint64_t(slot) + 1);
    }
    void grow() {
        std::vector<uint64_t> old = std::move(m_words);
        m_words.assign(old.size() * 2, 0);
        for (uint64_t w : old)
            if (w != 0) place(w >> 32, Slot(uint32_t(w) - 1));
    }

    std::vector<uint64_t> m_words;
    size_t m_count = 0;
};

}  // namespace cs::cache
