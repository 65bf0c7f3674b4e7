// The hit-ratio figures issue 4 names, computed on generated traces (deterministic seeds).
#include <gtest/gtest.h>

#include "cache/policy_simulator.h"
#include "cache/trace_generators.h"

namespace cs::test {
namespace {

using cache::PolicyKind;

double hit_ratio(PolicyKind kind, const std::vector<uint64_t>& trace, uint64_t capacity,
                 uint64_t distinct) {
    cache::PolicySimulator sim(kind, capacity, distinct);
    for (uint64_t k : trace) sim.access(k);
    return sim.hit_ratio();
}

TEST(HitRatio, WTinyLfuOnZipfIsWithinThreePointsOfTheStaticOptimum) {
    auto trace = cache::zipf_trace(100'000, 0.9, 2'000'000, 42);
    double ideal = cache::static_optimum_hit_ratio(trace, 1000);
    double w = hit_ratio(PolicyKind::wtinylfu, trace, 1000, 100'000);
    double lru = hit_ratio(PolicyKind::lru, trace, 1000, 100'000);
    RecordProperty("ideal", std::to_string(ideal));
    RecordProperty("wtinylfu", std::to_string(w));
    std::printf("zipf(0.9) 100k keys, capacity 1000: ideal %.4f  wtinylfu %.4f  lru %.4f\n", ideal,
                w, lru);
    EXPECT_GE(w, ideal - 0.03);
    EXPECT_GT(w, lru);
}

TEST(HitRatio, S3FifoOnZipfBeatsLru) {
    auto trace = cache::zipf_trace(100'000, 0.9, 2'000'000, 42);
    double s3 = hit_ratio(PolicyKind::s3fifo, trace, 1000, 100'000);
    double lru = hit_ratio(PolicyKind::lru, trace, 1000, 100'000);
    std::printf("zipf(0.9) 100k keys, capacity 1000: s3fifo %.4f  lru %.4f\n", s3, lru);
    EXPECT_GT(s3, lru);
}

struct Mix {
    const char* name;
    std::vector<uint64_t> trace;
};

// Zipf(0.8) over 50k keys with a scan, a loop just too big for 1000 entries, or both spliced in.
std::vector<Mix> mixed_traces() {
    auto zipf = cache::zipf_trace(50'000, 0.8, 500'000, 7);
    return {
        {"zipf + scans", cache::interleave(zipf, cache::scan_trace(1'000'000, 200'000), 3)},
        {"zipf + loop", cache::interleave(zipf, cache::loop_trace(2'000'000, 1500, 60), 5)},
        {"zipf + loop + scan",
         cache::interleave(cache::interleave(zipf, cache::loop_trace(2'000'000, 1200, 50), 6),
                           cache::scan_trace(3'000'000, 100'000), 7)},
    };
}

// W-TinyLFU admits only what is more popular than its victim, and S3-FIFO lets keys seen once
// leave from its small queue, so neither lets a scan or a loop flush the popular keys out as it
// flushes an LRU.
TEST(HitRatio, WTinyLfuAndS3FifoBeatLruOnEveryMixedTrace) {
    for (const Mix& m : mixed_traces()) {
        double lru = hit_ratio(PolicyKind::lru, m.trace, 1000, 60'000);
        for (PolicyKind policy : {PolicyKind::wtinylfu, PolicyKind::s3fifo}) {
            double ratio = hit_ratio(policy, m.trace, 1000, 60'000);
            std::printf("%-20s %-8s %.4f  lru %.4f\n", m.name, cache::to_string(policy), ratio, lru);
            EXPECT_GT(ratio, lru) << m.name << " " << cache::to_string(policy);
        }
    }
}

}  // namespace
}  // namespace cs::test
