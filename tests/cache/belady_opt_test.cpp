// Belady's optimum: exact hits on traces worked by hand, the same hits as an exhaustive search
// on small random traces, and never fewer hits than any policy on the generated traces.
#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <random>
#include <unordered_set>

#include "cache/belady_opt.h"
#include "cache/cachesim.h"
#include "cache/trace_generators.h"
#include "runtime/errors.h"

namespace cs::test {
namespace {

using cache::belady_opt_hits;

TEST(BeladyOpt, TheTextbookTraceWithThreeEntries) {
    // The classic page-reference string. Worked by hand (the set is each resident key with
    // its next use; "skip" is a newcomer needed last, not stored):
    //   7 0 1 miss (fill) | 2 miss, evict 7 (next at 17) | 0 hit | 3 miss, evict 1 (13)
    //   0 hit | 4 miss, never again: skip | 2 3 0 3 2 hit | 1 miss, room (3 was last used)
    //   2 0 1 hit | 7 miss, skip | 0 1 hit
    // 12 hits, 8 misses. (Demand paging, which must store the 4 and the 7, has 9 misses.)
    std::vector<uint64_t> trace = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
    EXPECT_EQ(belady_opt_hits(trace, 3), 12u);
}

TEST(BeladyOpt, SkipsANewcomerThatIsNeededLast) {
    // One entry: storing b would cost the second a.
    EXPECT_EQ(belady_opt_hits({1, 2, 1}, 1), 1u);
    // A loop of 3 keys in 2 entries (LRU hits nothing): 0 1 miss | 2 miss, skip (0 and 1 come
    // first) | 0 1 hit | 2 miss, skip | 0 1 hit (never again) | 2 miss. 4 hits.
    EXPECT_EQ(belady_opt_hits({0, 1, 2, 0, 1, 2, 0, 1, 2}, 2), 4u);
}

TEST(BeladyOpt, ACacheForEveryKeyMissesOnlyEachKeysFirstRequest) {
    auto trace = cache::zipf_trace(500, 0.8, 20'000, 5);
    uint64_t distinct = std::unordered_set<uint64_t>(trace.begin(), trace.end()).size();
    EXPECT_EQ(belady_opt_hits(trace, distinct), trace.size() - distinct);
    EXPECT_EQ(belady_opt_hits(trace, uint64_t{1} << 40), trace.size() - distinct);
    EXPECT_LT(belady_opt_hits(trace, distinct - 1), trace.size() - distinct);
}

TEST(BeladyOpt, EmptyTraceAndZeroCapacity) {
    EXPECT_EQ(belady_opt_hits({}, 4), 0u);
    EXPECT_EQ(cache::belady_opt_hit_ratio({}, 4), 0.0);
    EXPECT_THROW(belady_opt_hits({1, 2}, 0), rt::InvalidArgument);
}

// The most hits any cache of `capacity` could get: every choice tried (keep or skip a
// newcomer, and which resident to evict for it), memoized on (position, resident set).
uint64_t exhaustive_best(const std::vector<uint64_t>& trace, int capacity) {
    std::map<std::pair<size_t, unsigned>, uint64_t> memo;
    auto best = [&](auto& self, size_t i, unsigned resident) -> uint64_t {
        if (i == trace.size()) return 0;
        if (auto it = memo.find({i, resident}); it != memo.end()) return it->second;
        unsigned key = 1u << trace[i];
        uint64_t r;
        if (resident & key) {
            r = 1 + self(self, i + 1, resident);
        } else {
            r = self(self, i + 1, resident);  // skip it
            if (std::popcount(resident) < capacity) {
                r = std::max(r, self(self, i + 1, resident | key));
            } else {
                for (unsigned rest = resident; rest; rest &= rest - 1) {
                    unsigned victim = rest & -rest;
                    r = std::max(r, self(self, i + 1, (resident & ~victim) | key));
                }
            }
        }
        return memo[{i, resident}] = r;
    };
    return best(best, 0, 0u);
}

TEST(BeladyOpt, MatchesAnExhaustiveSearchOnSmallRandomTraces) {
    std::mt19937_64 rng(11);
    for (int round = 0; round < 300; ++round) {
        int keys = 2 + int(rng() % 5);
        int capacity = 1 + int(rng() % 4);
        std::vector<uint64_t> trace(8 + rng() % 10);
        for (uint64_t& k : trace) k = rng() % uint64_t(keys);
        uint64_t best = exhaustive_best(trace, capacity);
        ASSERT_EQ(belady_opt_hits(trace, uint64_t(capacity)), best)
            << "round " << round << ", capacity " << capacity;
        for (auto p : cache::all_simulated_policies()) {
            auto r = cache::simulate_policies(trace, uint64_t(capacity), {p});
            ASSERT_LE(r.outcomes[0].hits, best) << cache::to_string(p) << " round " << round;
        }
    }
}

TEST(BeladyOpt, NoPolicyBeatsItOnAnyGeneratedTrace) {
    auto zipf = cache::zipf_trace(20'000, 0.9, 60'000, 3);
    struct Named {
        const char* name;
        std::vector<uint64_t> trace;
    };
    std::vector<Named> traces = {
        {"zipf", zipf},
        {"scan", cache::scan_trace(0, 20'000)},
        {"loop", cache::loop_trace(0, 1500, 30)},
        {"zipf+scan", cache::interleave(zipf, cache::scan_trace(1'000'000, 20'000), 3)},
        {"zipf+loop", cache::interleave(zipf, cache::loop_trace(2'000'000, 1500, 8), 5)},
    };
    for (const Named& t : traces) {
        for (uint64_t capacity : {1, 10, 100, 1000, 4000}) {
            auto r = cache::simulate_policies(t.trace, capacity, cache::all_simulated_policies());
            ASSERT_EQ(r.outcomes.size(), 5u);
            const cache::PolicyOutcome& best = r.outcomes.back();
            ASSERT_EQ(best.policy, cache::SimulatedPolicy::opt);
            double opt = best.hit_ratio;
            for (const auto& o : r.outcomes)
                EXPECT_LE(o.hits, best.hits)
                    << t.name << ", capacity " << capacity << ": " << to_string(o.policy);
            // The ideal static cache (the most requested keys pinned) is a policy too.
            EXPECT_GE(opt, cache::static_optimum_hit_ratio(t.trace, capacity))
                << t.name << ", capacity " << capacity;
        }
    }
}

TEST(BeladyOpt, ScanHitsNothingAndALoopThatFitsMissesOnlyOnce) {
    EXPECT_EQ(belady_opt_hits(cache::scan_trace(0, 10'000), 100), 0u);
    auto loop = cache::loop_trace(0, 100, 30);
    EXPECT_EQ(belady_opt_hits(loop, 100), loop.size() - 100);
    // One entry short: LRU never hits, OPT keeps all but one entry useful.
    auto lru = cache::simulate_policies(loop, 99, {cache::SimulatedPolicy::lru});
    EXPECT_EQ(lru.outcomes[0].hits, 0u);
    EXPECT_GT(cache::belady_opt_hit_ratio(loop, 99), 0.9);
}

}  // namespace
}  // namespace cs::test
