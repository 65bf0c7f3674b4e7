#include "cache/trace_generators.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "cache/zipf_sampler.h"
#include "runtime/random.h"

namespace cs::cache {

std::vector<uint64_t> zipf_trace(uint64_t keys, double s, uint64_t count, uint64_t seed) {
    ZipfSampler zipf(keys, s);
    rt::Rng rng(seed);
    std::vector<uint64_t> out;
    out.reserve(count);
    for (uint64_t i = 0; i < count; ++i) out.push_back(zipf.key_for(rng.unit()));
    return out;
}

std::vector<uint64_t> scan_trace(uint64_t first, uint64_t keys) {
    std::vector<uint64_t> out(keys);
    for (uint64_t i = 0; i < keys; ++i) out[i] = first + i;
    return out;
}

std::vector<uint64_t> loop_trace(uint64_t first, uint64_t keys, uint64_t rounds) {
    std::vector<uint64_t> out;
    out.reserve(keys * rounds);
    for (uint64_t r = 0; r < rounds; ++r)
        for (uint64_t i = 0; i < keys; ++i) out.push_back(first + i);
    return out;
}

std::vector<uint64_t> interleave(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                                 uint64_t every) {
    std::vector<uint64_t> out;
    out.reserve(a.size() + b.size());
    size_t j = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        out.push_back(a[i]);
        if (every && (i + 1) % every == 0 && j < b.size()) out.push_back(b[j++]);
    }
    out.insert(out.end(), b.begin() + long(j), b.end());
    return out;
}

double static_optimum_hit_ratio(const std::vector<uint64_t>& trace, uint64_t capacity) {
    if (trace.empty()) return 0;
    std::unordered_map<uint64_t, uint64_t> counts;
    for (uint64_t k : trace) ++counts[k];
    std::vector<uint64_t> c;
    c.reserve(counts.size());
    for (const auto& [k, n] : counts) c.push_back(n);
    size_t top = std::min<size_t>(capacity, c.size());
    std::partial_sort(c.begin(), c.begin() + long(top), c.end(), std::greater<>());
    uint64_t hits = 0;
    for (size_t i = 0; i < top; ++i) hits += c[i] - 1;  // the first request of each is a miss
    return double(hits) / double(trace.size());
}

}  // namespace cs::cache
