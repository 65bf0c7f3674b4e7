#include "cache/frequency_sketch.h"

#include <algorithm>
#include <bit>

namespace cs::cache {

namespace {
uint64_t remix(uint64_t x) noexcept {
    x = (x ^ (x >> 32)) * 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 29);
}
}  // namespace

FrequencySketch::FrequencySketch(uint64_t expected_entries) {
    // One word (16 counters) per expected entry, at least one block.
    uint64_t words = std::bit_ceil(std::max<uint64_t>(expected_entries, 8));
    m_words.assign(size_t(words), 0);
    m_block_mask = words / 8 - 1;
    m_sample = 10 * std::max<uint64_t>(expected_entries, 8);
}

// Counter i of a key: word 2i or 2i+1 of the key's block, and one of its 16 nibbles — both from
// byte i of a second hash, so the four counters rarely share a word.
inline FrequencySketch::Counters FrequencySketch::counters_of(uint64_t key_hash) const {
    uint64_t counter_hash = remix(key_hash);
    size_t block = size_t((key_hash & m_block_mask) * 8);
    Counters c;
#pragma GCC unroll 4
    for (unsigned i = 0; i < 4; ++i) {
        auto h = unsigned(counter_hash >> (i * 8));
        c.word[i] = block + (i * 2) + (h & 1);
        c.nibble[i] = (h >> 1) & 15;
    }
    return c;
}

void FrequencySketch::prefetch(uint64_t key_hash) const {
    __builtin_prefetch(&m_words[size_t((key_hash & m_block_mask) * 8)], 1);
}

void FrequencySketch::increment(uint64_t key_hash) {
    Counters c = counters_of(key_hash);
    uint64_t* words = m_words.data();
    bool added = false;
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
        unsigned shift = c.nibble[i] * 4;
        uint64_t& w = words[c.word[i]];
        if (((w >> shift) & 0xF) != 0xF) {
            w += uint64_t{1} << shift;
            added = true;
        }
    }
    if (added && ++m_additions >= m_sample) reset();
}

int FrequencySketch::frequency(uint64_t key_hash) const {
    Counters c = counters_of(key_hash);
    const uint64_t* words = m_words.data();
    unsigned f = 15;
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) f = std::min(f, unsigned(words[c.word[i]] >> (c.nibble[i] * 4)) & 0xF);
    return int(f);
}

void FrequencySketch::reset() {
    for (uint64_t& w : m_words) w = (w >> 1) & 0x7777777777777777ull;
    m_additions /= 2;
    ++m_resets;
}

}  // namespace cs::cache
