#pragma once
// RecordedCounts: what patterns report to a cache tier of any kind — the reads they judged
// themselves (hit, miss, stale) and the loads from the origin — kept as relaxed atomics and
// added to the tier's CacheStats, plus a histogram of load durations. Thread-safe.
#include <atomic>
#include <cstdint>

#include "cache/cache_stats.h"
#include "patterns/latency_histogram.h"
#include "runtime/clock.h"

namespace cs::cache {

class RecordedCounts {
  public:
    void record(Access access) noexcept {
        switch (access) {
            case Access::hit:
                m_hits.fetch_add(1, std::memory_order_relaxed);
                break;
            case Access::stale:
                m_stale_served.fetch_add(1, std::memory_order_relaxed);
                [[fallthrough]];
            case Access::miss:
                m_misses.fetch_add(1, std::memory_order_relaxed);
                break;
        }
    }
    void record_load(bool succeeded, rt::Duration took) noexcept {
        m_loads.fetch_add(1, std::memory_order_relaxed);
        if (!succeeded) m_load_failures.fetch_add(1, std::memory_order_relaxed);
        m_load_ns.fetch_add(took.count(), std::memory_order_relaxed);
        m_load_latency.record(took);
    }
    // Every load's duration since the start: p50, p99...
    patterns::LatencySummary load_latency() const { return m_load_latency.summary(); }
    // Adds these counts to `stats` (whose other fields the tier fills).
    void add_to(CacheStats& stats) const noexcept {
        stats.hits += m_hits.load(std::memory_order_relaxed);
        stats.misses += m_misses.load(std::memory_order_relaxed);
        stats.stale_served += m_stale_served.load(std::memory_order_relaxed);
        stats.loads += m_loads.load(std::memory_order_relaxed);
        stats.load_failures += m_load_failures.load(std::memory_order_relaxed);
        stats.total_load_time += rt::Duration(m_load_ns.load(std::memory_order_relaxed));
    }

  private:
    std::atomic<uint64_t> m_hits{0}, m_misses{0}, m_stale_served{0};
    std::atomic<uint64_t> m_loads{0}, m_load_failures{0};
    std::atomic<int64_t> m_load_ns{0};
    patterns::LatencyHistogram m_load_latency;
};

}  // namespace cs::cache
