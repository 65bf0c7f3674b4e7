#pragma once
// FrequencySketch: how often a key was seen recently, approximately, in 4 bits per counter
// (TinyLFU's count-min sketch, as in Caffeine). Four counters per key in four rows; the
// estimate is the smallest. After `sample` increments every counter is halved, so old
// popularity fades. Not thread-safe.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cs::cache {

class FrequencySketch {
  public:
    explicit FrequencySketch(uint64_t expected_entries);

    void increment(uint64_t key_hash);
    int frequency(uint64_t key_hash) const;  // 0 .. 15
    uint64_t resets() const noexcept { return m_resets; }

  private:
    size_t counter_index(uint64_t key_hash, int row) const;
    int get(size_t counter) const;
    void reset();

    std::vector<uint64_t> m_words;  // 16 counters of 4 bits per word
    uint64_t m_row_mask;            // counters per row - 1
    uint64_t m_sample, m_additions = 0, m_resets = 0;
};

}  // namespace cs::cache
