#pragma once
// Ticks: the cheapest monotonic timestamp the CPU offers (the TSC on x86-64, the steady clock
// elsewhere), for telemetry events and blocked-time counters on hot paths. Converted to
// nanoseconds only when read out.
#include <chrono>
#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace cs::telemetry {

inline int64_t now_ticks() noexcept {
#if defined(__x86_64__)
    return static_cast<int64_t>(__rdtsc());
#else
    return std::chrono::steady_clock::now().time_since_epoch().count();
#endif
}

// Nanoseconds per tick, measured against the steady clock since the process started (the longer
// the process runs, the finer the estimate).
double ns_per_tick() noexcept;
// Ticks to nanoseconds since the process's first use of ticks.
int64_t ticks_to_ns(int64_t ticks) noexcept;
inline int64_t tick_span_to_ns(int64_t ticks) noexcept {
    return static_cast<int64_t>(static_cast<double>(ticks) * ns_per_tick());
}

}  // namespace cs::telemetry
