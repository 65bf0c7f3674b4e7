#include "cache/frequency_sketch.h"

#include <algorithm>
#include <bit>

namespace cs::cache {

namespace {
constexpr uint64_t row_seeds[4] = {0x97CB3127A1E1B2F5ull, 0xC2B2AE3D27D4EB4Full,
                                   0x165667B19E3779F9ull, 0xD6E8FEB86659FD93ull};
}

FrequencySketch::FrequencySketch(uint64_t expected_entries) {
    uint64_t row = std::bit_ceil(std::max<uint64_t>(expected_entries, 16));
    m_row_mask = row - 1;
    m_words.assign(size_t(row * 4 / 16), 0);
    m_sample = 10 * row;
}

size_t FrequencySketch::counter_index(uint64_t key_hash, int row) const {
    uint64_t x = (key_hash ^ row_seeds[row]) * 0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    return size_t(uint64_t(row) * (m_row_mask + 1) + (x & m_row_mask));
}

int FrequencySketch::get(size_t counter) const {
    return int((m_words[counter >> 4] >> ((counter & 15) * 4)) & 0xF);
}

void FrequencySketch::increment(uint64_t key_hash) {
    bool added = false;
    for (int row = 0; row < 4; ++row) {
        size_t c = counter_index(key_hash, row);
        if (get(c) < 15) {
            m_words[c >> 4] += uint64_t{1} << ((c & 15) * 4);
            added = true;
        }
    }
    if (added && ++m_additions >= m_sample) reset();
}

int FrequencySketch::frequency(uint64_t key_hash) const {
    int f = 15;
    for (int row = 0; row < 4; ++row) f = std::min(f, get(counter_index(key_hash, row)));
    return f;
}

void FrequencySketch::reset() {
    for (uint64_t& w : m_words) w = (w >> 1) & 0x7777777777777777ull;
    m_additions /= 2;
    ++m_resets;
}

}  // namespace cs::cache
