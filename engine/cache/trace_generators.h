#pragma once
// Key traces for teaching and for testing policies: Zipf (a few keys are very popular), scan
// (every key once, in order: the pattern that flushes an LRU), loop (the same scan again and
// again: LRU's worst case when the loop is a bit larger than the cache), and mixes of these.
// Deterministic for a given seed.
#include <cstdint>
#include <vector>

namespace cs::cache {

// `count` requests over keys 0 .. keys-1, key k with probability proportional to 1/(k+1)^s.
std::vector<uint64_t> zipf_trace(uint64_t keys, double s, uint64_t count, uint64_t seed);
// first, first+1, ..., first+keys-1.
std::vector<uint64_t> scan_trace(uint64_t first, uint64_t keys);
// The scan over `keys` keys, `rounds` times.
std::vector<uint64_t> loop_trace(uint64_t first, uint64_t keys, uint64_t rounds);
// `a` with `b` spliced in every `every` requests of `a` (b's requests in order).
std::vector<uint64_t> interleave(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                                 uint64_t every);

// The hit ratio of the ideal static cache: the `capacity` most requested keys always resident.
double static_optimum_hit_ratio(const std::vector<uint64_t>& trace, uint64_t capacity);

}  // namespace cs::cache
