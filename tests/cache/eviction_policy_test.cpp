#include <gtest/gtest.h>

#include <algorithm>

#include "cache/eviction_policy.h"
#include "cache/frequency_sketch.h"
#include "cache/policy_simulator.h"
#include "runtime/errors.h"

namespace cs::test {
namespace {

using cache::PolicyKind;
using cache::PolicySimulator;
using cache::Slot;

TEST(LruPolicy, EvictsTheLeastRecentlyUsed) {
    PolicySimulator sim(PolicyKind::lru, 3, 10);
    for (uint64_t k : {1, 2, 3}) sim.access(k);
    EXPECT_TRUE(sim.access(1));  // 1 is now the most recent; 2 the least
    sim.access(4);
    EXPECT_FALSE(sim.resident(2));
    for (uint64_t k : {1, 3, 4}) EXPECT_TRUE(sim.resident(k)) << k;
}

TEST(LfuPolicy, EvictsTheLeastFrequentThenTheLeastRecent) {
    PolicySimulator sim(PolicyKind::lfu, 3, 10);
    for (uint64_t k : {1, 2, 3}) sim.access(k);
    sim.access(1);
    sim.access(1);
    sim.access(3);
    sim.access(4);  // 2 has the lowest count (1)
    EXPECT_FALSE(sim.resident(2));
    sim.access(5);  // 4 and... 4 is the only one with count 1
    EXPECT_FALSE(sim.resident(4));
    EXPECT_TRUE(sim.resident(1));
    EXPECT_TRUE(sim.resident(3));

    PolicySimulator tie(PolicyKind::lfu, 2, 10);
    tie.access(1);
    tie.access(2);
    tie.access(3);  // 1 and 2 tie at one use: the older goes
    EXPECT_FALSE(tie.resident(1));
    EXPECT_TRUE(tie.resident(2));
}

TEST(WTinyLfuPolicy, AScanDoesNotFlushThePopularEntries) {
    PolicySimulator sim(PolicyKind::wtinylfu, 100, 2000);
    for (int round = 0; round < 20; ++round)
        for (uint64_t k = 0; k < 90; ++k) sim.access(k);   // popular, each seen 20 times
    for (uint64_t k = 1000; k < 2000; ++k) sim.access(k);  // a one-pass scan
    int kept = 0;
    for (uint64_t k = 0; k < 90; ++k) kept += sim.resident(k);
    EXPECT_GE(kept, 88);  // the scan only ever gets the window slot

    PolicySimulator lru(PolicyKind::lru, 100, 2000);
    for (int round = 0; round < 20; ++round)
        for (uint64_t k = 0; k < 90; ++k) lru.access(k);
    for (uint64_t k = 1000; k < 2000; ++k) lru.access(k);
    for (uint64_t k = 0; k < 90; ++k) EXPECT_FALSE(lru.resident(k));  // LRU lost them all
}

TEST(WTinyLfuPolicy, ANewcomerSeenOftenEnoughGetsIn) {
    PolicySimulator sim(PolicyKind::wtinylfu, 50, 1000);
    for (int round = 0; round < 3; ++round)
        for (uint64_t k = 0; k < 60; ++k) sim.access(k);
    // Key 500 is requested many times: its frequency beats the main region's victims.
    for (int i = 0; i < 20; ++i) {
        sim.access(500);
        sim.access(1000 + uint64_t(i));  // pushes 500 out of the window each time
    }
    EXPECT_TRUE(sim.resident(500));
    EXPECT_LE(sim.size(), 50u);
}

TEST(EvictionPolicies, CostCountsAgainstCapacity) {
    for (PolicyKind kind : cache::all_policy_kinds) {
        SCOPED_TRACE(cache::to_string(kind));
        auto p = cache::make_policy(kind, 10, 10);
        std::vector<Slot> evicted;
        EXPECT_FALSE(p->admit(0, 1, 11, evicted));  // alone above the capacity
        EXPECT_TRUE(evicted.empty());
        EXPECT_TRUE(p->admit(1, 2, 4, evicted));
        EXPECT_TRUE(p->admit(2, 3, 4, evicted));
        EXPECT_LE(p->weight(), 10u);
        bool admitted = p->admit(3, 4, 4, evicted);
        EXPECT_LE(p->weight(), 10u);
        EXPECT_TRUE(!admitted || !evicted.empty());  // room was made, or (W-TinyLFU) it was refused
        for (Slot s : evicted) EXPECT_NE(s, 3u);
    }
    EXPECT_THROW(cache::make_policy(PolicyKind::lru, 0, 10), rt::InvalidArgument);
}

TEST(EvictionPolicies, AnUpdateToALargerCostMakesRoomAndOneAboveTheCapacityLeaves) {
    for (PolicyKind kind : cache::all_policy_kinds) {
        SCOPED_TRACE(cache::to_string(kind));
        auto p = cache::make_policy(kind, 10, 10);
        std::vector<Slot> evicted;
        for (Slot s = 0; s < 4; ++s) ASSERT_TRUE(p->admit(s, s + 1, 2, evicted));
        ASSERT_TRUE(evicted.empty());
        ASSERT_EQ(p->weight(), 8u);
        p->on_update(3, 4, 6, evicted);  // 12 would be above the capacity
        ASSERT_FALSE(evicted.empty());
        EXPECT_LE(p->weight(), 10u);
        auto gone = [&](Slot s) {
            return std::find(evicted.begin(), evicted.end(), s) != evicted.end();
        };
        if (!gone(3)) {
            EXPECT_EQ(p->cost_of(3), 6u);
            EXPECT_EQ(p->weight(), 6 + 2 * (3 - evicted.size()));
        }
        Slot stayer = 0;
        while (gone(stayer)) ++stayer;
        uint64_t expected = p->weight() - p->cost_of(stayer);
        evicted.clear();
        p->on_update(stayer, stayer + 1, 11, evicted);  // alone above the capacity: it leaves
        EXPECT_EQ(evicted, std::vector<Slot>{stayer});
        EXPECT_EQ(p->weight(), expected);
    }
}

TEST(EvictionPolicies, NeverHoldMoreThanTheirCapacity) {
    for (PolicyKind kind : cache::all_policy_kinds) {
        SCOPED_TRACE(cache::to_string(kind));
        PolicySimulator sim(kind, 64, 1000);
        uint64_t x = 1;
        for (int i = 0; i < 20000; ++i) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            sim.access((x >> 33) % 500);
            ASSERT_LE(sim.size(), 64u);
        }
        EXPECT_EQ(sim.hits() + sim.misses(), 20000u);
        EXPECT_GT(sim.hits(), 0u);
    }
}

TEST(FrequencySketch, CountsUpToFifteenAndAgesByHalving) {
    cache::FrequencySketch sketch(64);
    for (int i = 0; i < 20; ++i) sketch.increment(cache::mix_hash(7));
    EXPECT_EQ(sketch.frequency(cache::mix_hash(7)), 15);
    EXPECT_EQ(sketch.frequency(cache::mix_hash(8)), 0);
    for (uint64_t k = 100; sketch.resets() == 0; ++k) sketch.increment(cache::mix_hash(k));
    EXPECT_LE(sketch.frequency(cache::mix_hash(7)), 8);  // halved (7 or 8 with collisions)
    EXPECT_GE(sketch.frequency(cache::mix_hash(7)), 7);
}

}  // namespace
}  // namespace cs::test

namespace cs::test {
namespace {

TEST(PolicyKind, NamesRoundTripAndUnknownNamesAreRefused) {
    for (auto k : cache::all_policy_kinds)
        EXPECT_EQ(cache::policy_kind_named(cache::to_string(k)), k);
    EXPECT_EQ(cache::policy_kind_named("s3fifo"), cache::PolicyKind::s3fifo);
    EXPECT_EQ(cache::policy_kind_named("opt"), std::nullopt);
    EXPECT_EQ(cache::policy_kind_named("LRU"), std::nullopt);
}

}  // namespace
}  // namespace cs::test
