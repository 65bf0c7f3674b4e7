#include "cache/slot_table.h"

#include <bit>

#include "cache/key_hash.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cs::cache {

namespace {

// Bit i set: control byte i of the group equals `byte`.
inline uint32_t match(const int8_t* group, int8_t byte) noexcept {
#if defined(__SSE2__)
    __m128i g = _mm_loadu_si128(reinterpret_cast<const __m128i*>(group));
    return uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(g, _mm_set1_epi8(byte))));
#else
    uint32_t m = 0;
    for (unsigned i = 0; i < 16; ++i) m |= uint32_t(group[i] == byte) << i;
    return m;
#endif
}

// Bit i set: slot i of the group is free (empty or deleted: the bytes with the sign bit).
inline uint32_t match_free(const int8_t* group) noexcept {
#if defined(__SSE2__)
    return uint32_t(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(group))));
#else
    uint32_t m = 0;
    for (unsigned i = 0; i < 16; ++i) m |= uint32_t(group[i] < 0) << i;
    return m;
#endif
}

}  // namespace

SlotTable::SlotTable() {
    allocate(group_width);
}

void SlotTable::allocate(size_t slots) {
    m_slot_count = slots;
    m_group_count = slots / group_width;
    m_ctrl.reset(new int8_t[slots]);
    std::fill_n(m_ctrl.get(), slots, empty);
    m_entries.reset(new CacheEntry[slots]);
    m_size = m_used = 0;
}

Slot SlotTable::find(uint64_t hash, std::string_view key) const {
    int8_t tag = tag_of(hash);
    size_t mask = m_group_count - 1;
    size_t g = first_group(hash);
    for (size_t probed = 0; probed < m_group_count; ++probed, g = (g + 1) & mask) {
        const int8_t* group = &m_ctrl[g * group_width];
        for (uint32_t m = match(group, tag); m != 0; m &= m - 1) {
            Slot s = Slot(g * group_width + size_t(std::countr_zero(m)));
            if (m_entries[s].key() == key) return s;
        }
        // A group with an empty slot was never full, so no key probed past it.
        if (match(group, empty) != 0) return no_slot;
    }
    return no_slot;
}

Slot SlotTable::insert(uint64_t hash) {
    size_t mask = m_group_count - 1;
    for (size_t g = first_group(hash);; g = (g + 1) & mask) {
        if (uint32_t m = match_free(&m_ctrl[g * group_width]); m != 0) {
            Slot s = Slot(g * group_width + size_t(std::countr_zero(m)));
            if (m_ctrl[s] == empty) ++m_used;
            m_ctrl[s] = tag_of(hash);
            ++m_size;
            return s;
        }
    }
}

void SlotTable::erase(Slot slot) {
    m_entries[slot].reset();
    m_ctrl[slot] = deleted;
    // Back to empty only where no probe can have passed: a group that still has an empty slot
    // was never full (a full group stays without empties until the next rebuild).
    if (match(&m_ctrl[slot / group_width * group_width], empty) != 0) {
        m_ctrl[slot] = empty;
        --m_used;
    }
    --m_size;
}

Relocation SlotTable::rebuild() {
    // After a rebuild the table is at most 7/16 live, so inserts run a while before the next;
    // a table mostly emptied (a clear, a wave of expiry) shrinks back.
    size_t slots = m_slot_count;
    while ((m_size + 1) * 16 > slots * 7) slots *= 2;
    while (slots > group_width && (m_size + 1) * 16 * 4 <= slots * 7) slots /= 2;

    std::unique_ptr<int8_t[]> old_ctrl = std::move(m_ctrl);
    std::unique_ptr<CacheEntry[]> old_entries = std::move(m_entries);
    size_t old_count = m_slot_count;
    allocate(slots);
    Relocation where(old_count, no_slot);
    for (size_t s = 0; s < old_count; ++s) {
        if (old_ctrl[s] < 0) continue;
        Slot n = insert(hash_key(old_entries[s].key()));
        m_entries[n] = std::move(old_entries[s]);
        where[s] = n;
    }
    return where;
}

}  // namespace cs::cache
