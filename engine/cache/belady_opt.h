#pragma once
// Belady's optimum (OPT, also called MIN): the hits a cache of `capacity` entries would get if
// it knew the future. On a miss with the cache full, whichever of the resident keys and the
// newcomer is next used furthest in the future goes (never used again counts as furthest);
// when that is the newcomer, it is not stored at all. No policy that sees only the past does
// better, so it is the yardstick the hit-ratio simulator prints next to LRU, LFU and W-TinyLFU.
//
// The newcomer is a candidate because W-TinyLFU may turn newcomers away: OPT must be allowed
// the same to stay an upper bound. (On "a b a" with one entry, storing b first would lose the
// second a: 0 hits; skipping b keeps it: 1 hit.)
//
// Offline: it needs the whole trace. O(n log n) time (a precomputed next-use index per request
// and a max-heap of the resident keys' next uses), O(n) memory. Thread-safe (no shared state).
//
//   uint64_t hits = belady_opt_hits(trace, 1000);
#include <cstdint>
#include <vector>

namespace cs::cache {

// Throws rt::InvalidArgument if capacity is 0.
uint64_t belady_opt_hits(const std::vector<uint64_t>& trace, uint64_t capacity);
// hits / requests; 0 for an empty trace.
double belady_opt_hit_ratio(const std::vector<uint64_t>& trace, uint64_t capacity);

}  // namespace cs::cache
