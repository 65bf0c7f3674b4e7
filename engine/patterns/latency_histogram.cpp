#include "patterns/latency_histogram.h"

#include <algorithm>
#include <bit>

namespace cs::patterns {

// Values below 2^sub_bits ns get a bucket each; above, a bucket is 1/32 of its power of two.
int LatencyHistogram::bucket_of(uint64_t ns) noexcept {
    if (ns < (uint64_t{1} << sub_bits)) return static_cast<int>(ns);
    int exp = std::bit_width(ns) - 1;  // >= sub_bits
    int shift = exp - sub_bits;
    int sub = static_cast<int>((ns >> shift) & ((1u << sub_bits) - 1));
    return ((shift + 1) << sub_bits) + sub;
}

uint64_t LatencyHistogram::bucket_middle(int b) noexcept {
    if (b < (1 << sub_bits)) return static_cast<uint64_t>(b);
    int shift = (b >> sub_bits) - 1;
    uint64_t low = (uint64_t{1} << (shift + sub_bits)) |
                   (static_cast<uint64_t>(b & ((1 << sub_bits) - 1)) << shift);
    return low + ((uint64_t{1} << shift) >> 1);
}

void LatencyHistogram::record(rt::Duration d, uint64_t times) noexcept {
    if (times == 0) return;
    uint64_t ns = static_cast<uint64_t>(std::max<int64_t>(d.count(), 0));
    m_buckets[static_cast<size_t>(bucket_of(ns))].fetch_add(times, std::memory_order_relaxed);
    m_count.fetch_add(times, std::memory_order_relaxed);
    m_sum_ns.fetch_add(ns * times, std::memory_order_relaxed);
    uint64_t seen = m_max_ns.load(std::memory_order_relaxed);
    while (ns > seen && !m_max_ns.compare_exchange_weak(seen, ns, std::memory_order_relaxed)) {
    }
}

LatencySummary LatencyHistogram::summary() const {
    std::array<uint64_t, buckets> counts;
    uint64_t total = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        counts[i] = m_buckets[i].load(std::memory_order_relaxed);
        total += counts[i];
    }
    LatencySummary s;
    s.count = total;
    if (total == 0) return s;
    uint64_t max_ns = m_max_ns.load(std::memory_order_relaxed);
    s.max = rt::Duration(static_cast<int64_t>(max_ns));
    s.mean = rt::Duration(static_cast<int64_t>(m_sum_ns.load(std::memory_order_relaxed) /
                                               std::max<uint64_t>(m_count.load(), 1)));
    auto percentile = [&](double q) {
        // The smallest bucket whose cumulative count reaches q of the total (nearest rank).
        uint64_t rank =
            std::max<uint64_t>(1, static_cast<uint64_t>(q * static_cast<double>(total) + 0.999999));
        uint64_t seen = 0;
        for (int b = 0; b < buckets; ++b) {
            seen += counts[static_cast<size_t>(b)];
            if (seen >= rank)
                return rt::Duration(static_cast<int64_t>(std::min(bucket_middle(b), max_ns)));
        }
        return s.max;
    };
    s.p50 = percentile(0.50);
    s.p90 = percentile(0.90);
    s.p99 = percentile(0.99);
    return s;
}

}  // namespace cs::patterns
