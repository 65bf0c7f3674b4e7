#pragma once
// FrequencySketch: how often a key was seen recently, approximately, in 4 bits per counter
// (TinyLFU's count-min sketch, as in Caffeine). Four counters per key, the estimate is the
// smallest. All four sit in one 64-byte block chosen by the key's hash, so counting a key costs
// one cache miss instead of four. After `sample` increments every counter is halved, so old
// popularity fades. Not thread-safe.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cs::cache {

class FrequencySketch {
  public:
    explicit FrequencySketch(uint64_t expected_entries);

    void increment(uint64_t key_hash);
    // Asks the CPU to start loading key_hash's block, ahead of an increment or a frequency.
    void prefetch(uint64_t key_hash) const;
    int frequency(uint64_t key_hash) const;  // 0 .. 15
    uint64_t resets() const noexcept { return m_resets; }

  private:
    // Where key_hash's four counters are: a word index and a nibble (0..15) in it, for each.
    struct Counters {
        size_t word[4];
        unsigned nibble[4];
    };
    Counters counters_of(uint64_t key_hash) const;
    void reset();

    std::vector<uint64_t> m_words;  // 16 counters of 4 bits per word, 8 words per block
    uint64_t m_block_mask;          // blocks - 1
    uint64_t m_sample, m_additions = 0, m_resets = 0;
};

}  // namespace cs::cache
