#pragma once
// LatencyHistogram: durations recorded from any thread without a lock, read as count, mean,
// percentiles and max. Log-linear buckets (32 per power of two) bound the error of a percentile
// to about 3%; count, sum and max are exact. Memory is fixed (16 KiB), however long the run.
//
//   LatencyHistogram h;
//   h.record(12ms);                  // any thread
//   LatencySummary s = h.summary();  // p50, p90, p99, max...
#include <array>
#include <atomic>
#include <cstdint>

#include "runtime/clock.h"

namespace cs::patterns {

struct LatencySummary {
    uint64_t count = 0;
    rt::Duration mean{0}, p50{0}, p90{0}, p99{0}, max{0};
};

class LatencyHistogram {
  public:
    // `times` requests that each took d (a pipelined batch: every request waited the round trip).
    void record(rt::Duration d, uint64_t times = 1) noexcept;
    LatencySummary summary() const;
    uint64_t count() const noexcept { return m_count.load(std::memory_order_relaxed); }

  private:
    static constexpr int sub_bits = 5;  // 32 buckets per power of two
    static constexpr int buckets = (64 - sub_bits + 1) << sub_bits;
    static int bucket_of(uint64_t ns) noexcept;
    static uint64_t bucket_middle(int b) noexcept;

    std::array<std::atomic<uint64_t>, buckets> m_buckets{};
    std::atomic<uint64_t> m_count{0};
    std::atomic<uint64_t> m_sum_ns{0};
    std::atomic<uint64_t> m_max_ns{0};
};

}  // namespace cs::patterns
