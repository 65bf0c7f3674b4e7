#pragma once
// OriginStats: every query an origin was asked, by kind, how many failed and how long they took
// (on the engine's clock, so a query slowed by injected latency or slow motion counts as long as
// it looked). A value, read from the origin's atomics.
#include <cstdint>

#include "patterns/latency_histogram.h"
#include "runtime/clock.h"

namespace cs::cache {

struct OriginStats {
    uint64_t loads = 0;                // load calls, found or not, failed or not
    uint64_t stores = 0;               // store calls
    uint64_t batches = 0;              // store_batch calls
    uint64_t batch_rows = 0;           // rows handed to those calls (landed or not)
    uint64_t erases = 0;               // erase calls
    uint64_t failures = 0;             // calls of any kind that threw OriginError
    rt::Duration total_query_time{0};  // sum over finished calls, injected latency included
    patterns::LatencySummary latency;  // per finished call, the same measure

    uint64_t queries() const noexcept { return loads + stores + batches + erases; }
};

}  // namespace cs::cache
