// simulate_policies: each policy's figures are what its simulator alone gives, in the order
// asked, and the capacity cut to the key count changes no result.
#include <gtest/gtest.h>

#include <string>

#include "cache/belady_opt.h"
#include "cache/cachesim.h"
#include "cache/policy_simulator.h"
#include "cache/trace_generators.h"
#include "runtime/errors.h"

namespace cs::test {
namespace {

using cache::SimulatedPolicy;

TEST(CacheSim, EachPolicyGetsWhatItsOwnSimulatorGets) {
    auto trace = cache::interleave(cache::zipf_trace(5000, 0.9, 60'000, 9),
                                   cache::scan_trace(100'000, 10'000), 4);
    auto r = cache::simulate_policies(trace, 300, cache::all_simulated_policies());
    EXPECT_EQ(r.requests, trace.size());
    EXPECT_EQ(r.capacity, 300u);
    ASSERT_EQ(r.outcomes.size(), 5u);
    const cache::PolicyKind kinds[] = {cache::PolicyKind::lru, cache::PolicyKind::lfu,
                                       cache::PolicyKind::wtinylfu, cache::PolicyKind::s3fifo};
    for (int i = 0; i < 4; ++i) {
        cache::PolicySimulator sim(kinds[i], 300, r.distinct_keys);
        for (uint64_t k : trace) sim.access(k);
        EXPECT_EQ(r.outcomes[size_t(i)].hits, sim.hits()) << to_string(kinds[i]);
        EXPECT_DOUBLE_EQ(r.outcomes[size_t(i)].hit_ratio, sim.hit_ratio());
    }
    EXPECT_EQ(r.outcomes[4].policy, SimulatedPolicy::opt);
    EXPECT_EQ(r.outcomes[4].hits, cache::belady_opt_hits(trace, 300));
}

TEST(CacheSim, RunsTheAskedPoliciesInTheAskedOrderAndCountsDistinctKeys) {
    std::vector<uint64_t> trace = {4, 9, 4, 4, 2};
    auto r = cache::simulate_policies(trace, 2, {SimulatedPolicy::opt, SimulatedPolicy::lru});
    ASSERT_EQ(r.outcomes.size(), 2u);
    EXPECT_EQ(r.outcomes[0].policy, SimulatedPolicy::opt);
    EXPECT_EQ(r.outcomes[1].policy, SimulatedPolicy::lru);
    EXPECT_EQ(r.outcomes[1].hits, 2u);  // 4 9 miss, 4 4 hit, 2 miss
    EXPECT_EQ(r.distinct_keys, 3u);
}

TEST(CacheSim, ACapacityAboveTheKeyCountGivesTheSameHitsAsOneExactlyThatLarge) {
    auto trace = cache::zipf_trace(2000, 0.7, 30'000, 1);
    auto exact = cache::simulate_policies(trace, 2000, cache::all_simulated_policies());
    auto huge = cache::simulate_policies(trace, uint64_t{1} << 32, cache::all_simulated_policies());
    EXPECT_EQ(huge.capacity, uint64_t{1} << 32);
    ASSERT_EQ(huge.outcomes.size(), 5u);
    for (size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(huge.outcomes[i].hits, exact.outcomes[i].hits);
        EXPECT_EQ(huge.outcomes[i].hits, trace.size() - exact.distinct_keys);
    }
}

TEST(CacheSim, EmptyTraceAndZeroCapacity) {
    auto r = cache::simulate_policies({}, 10, cache::all_simulated_policies());
    EXPECT_EQ(r.requests, 0u);
    for (const auto& o : r.outcomes) EXPECT_EQ(o.hit_ratio, 0.0);
    EXPECT_THROW(cache::simulate_policies({1}, 0, {SimulatedPolicy::lru}), rt::InvalidArgument);
}

std::string all_names() {
    std::string out;
    for (SimulatedPolicy p : cache::all_simulated_policies())
        out += (out.empty() ? "" : " ") + std::string(to_string(p));
    return out;
}

TEST(CacheSim, PolicyNames) {
    for (SimulatedPolicy p : cache::all_simulated_policies())
        EXPECT_EQ(cache::simulated_policy_named(to_string(p)), p);
    EXPECT_EQ(cache::simulated_policy_named("s3fifo"), SimulatedPolicy::s3fifo);
    EXPECT_EQ(all_names(), "lru lfu wtinylfu s3fifo opt");
    EXPECT_FALSE(cache::simulated_policy_named("all").has_value());
    EXPECT_FALSE(cache::simulated_policy_named("LRU").has_value());
}

}  // namespace
}  // namespace cs::test
