// S3-FIFO: which queue an entry is in decides who leaves, watched from outside through what
// stays resident. Capacity 10 has a small queue of 1, a main queue of 9 and a ghost of 9; the
// first ten keys all wait in small (nothing is evicted before the cache is full).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>

#include "cache/eviction_policy.h"
#include "cache/policy_simulator.h"

namespace cs::test {
namespace {

using cache::PolicyKind;
using cache::PolicySimulator;
using cache::Slot;

void access_all(PolicySimulator& sim, uint64_t first, uint64_t end) {
    for (uint64_t k = first; k < end; ++k) sim.access(k);
}

TEST(S3FifoPolicy, OneHitWondersLeaveFromSmallAndDoNotDisplaceHitEntries) {
    PolicySimulator sim(PolicyKind::s3fifo, 10, 1000);
    access_all(sim, 0, 9);
    access_all(sim, 0, 9);      // each hit once while in small
    access_all(sim, 100, 200);  // a hundred keys seen once
    for (uint64_t k = 0; k < 9; ++k) EXPECT_TRUE(sim.resident(k)) << k;
    EXPECT_TRUE(sim.resident(199));   // the newest waits in small ...
    EXPECT_FALSE(sim.resident(198));  // ... where the one before it was evicted
    EXPECT_EQ(sim.size(), 10u);

    PolicySimulator lru(PolicyKind::lru, 10, 1000);  // the same requests flush an LRU
    access_all(lru, 0, 9);
    access_all(lru, 0, 9);
    access_all(lru, 100, 200);
    for (uint64_t k = 0; k < 9; ++k) EXPECT_FALSE(lru.resident(k)) << k;
}

TEST(S3FifoPolicy, AnEntryHitOnceInSmallMovesToMainAndSurvivesAScan) {
    PolicySimulator sim(PolicyKind::s3fifo, 100, 5000);
    access_all(sim, 0, 80);
    access_all(sim, 0, 80);  // 80 popular keys, hit once each
    sim.access(500);
    sim.access(500);              // hit once, right after it came
    sim.access(600);              // came at the same time, never hit
    access_all(sim, 1000, 3000);  // a scan twenty times the cache
    for (uint64_t k = 0; k < 80; ++k) EXPECT_TRUE(sim.resident(k)) << k;
    EXPECT_TRUE(sim.resident(500));
    EXPECT_FALSE(sim.resident(600));
}

TEST(S3FifoPolicy, AKeyBackFromTheGhostGoesToMainAndOutlivesTheNextNewcomers) {
    PolicySimulator sim(PolicyKind::s3fifo, 10, 1000);
    access_all(sim, 0, 10);
    sim.access(100);  // evicts 0 from small: 0 becomes a ghost
    ASSERT_FALSE(sim.resident(0));
    sim.access(0);    // back while remembered: straight to main
    sim.access(300);  // a newcomer of the same moment, into small
    access_all(sim, 200, 250);
    EXPECT_TRUE(sim.resident(0));
    EXPECT_FALSE(sim.resident(300));
}

TEST(S3FifoPolicy, TheOldestGhostIsStillRememberedWhenItsKeyComesBack) {
    PolicySimulator sim(PolicyKind::s3fifo, 10, 1000);
    access_all(sim, 0, 10);
    access_all(sim, 100, 109);  // evicts 0 .. 8: nine ghosts, as many as the ghost holds
    ASSERT_FALSE(sim.resident(0));
    // Making room for 0 evicts 9 and so adds a tenth ghost, which pushes out the oldest: 0's
    // own. It still counts, as it was remembered when 0 was requested.
    sim.access(0);
    access_all(sim, 200, 250);
    EXPECT_TRUE(sim.resident(0));
}

TEST(S3FifoPolicy, AKeyBackAfterTheGhostForgotItStartsInSmallAgain) {
    PolicySimulator sim(PolicyKind::s3fifo, 10, 1000);
    access_all(sim, 0, 10);
    access_all(sim, 100, 120);  // 0 .. 9 and 100 .. 109 evicted: 0 is long forgotten
    sim.access(0);
    access_all(sim, 200, 250);
    EXPECT_FALSE(sim.resident(0));
}

TEST(S3FifoPolicy, MainGivesAHitEntryAnotherLapAndThenLetsItGo) {
    PolicySimulator sim(PolicyKind::s3fifo, 10, 1000);
    access_all(sim, 0, 9);
    access_all(sim, 0, 9);
    sim.access(100);  // fills the cache
    sim.access(101);  // 0 .. 8 move to main (0 oldest, hits cleared), 100 leaves
    ASSERT_TRUE(sim.resident(0));
    sim.access(0);  // a hit in main
    // Each round a newcomer is hit in small; the next one's arrival moves it to main, which
    // is then one over and evicts its oldest unhit entry.
    uint64_t key = 101;
    auto round = [&] {
        sim.access(key);
        sim.access(++key);
    };
    round();
    EXPECT_TRUE(sim.resident(0)) << "hit: another lap";
    EXPECT_FALSE(sim.resident(1)) << "next oldest, unhit: evicted instead";
    for (uint64_t k = 2; k < 9; ++k) {
        round();
        EXPECT_FALSE(sim.resident(k)) << k;
    }
    round();  // 101, promoted unhit before 0 came round again
    EXPECT_TRUE(sim.resident(0));
    round();
    EXPECT_FALSE(sim.resident(0)) << "its one hit bought one lap";
}

// Slots driven by hand, for costs: slot k is key k.
struct Driven {
    std::unique_ptr<cache::EvictionPolicy> policy;
    std::set<Slot> resident;
    std::vector<Slot> evicted;  // by the last call

    explicit Driven(uint64_t capacity)
        : policy(cache::make_policy(PolicyKind::s3fifo, capacity, 1000)) {}
    bool admit(Slot s, uint64_t cost) {
        evicted.clear();
        bool in = policy->admit(s, cache::mix_hash(s), cost, evicted);
        for (Slot e : evicted) resident.erase(e);
        if (in) resident.insert(s);
        return in;
    }
    void update(Slot s, uint64_t cost) {
        evicted.clear();
        policy->on_update(s, cache::mix_hash(s), cost, evicted);
        for (Slot e : evicted) resident.erase(e);
    }
    uint64_t summed_cost() const {
        uint64_t sum = 0;
        for (Slot s : resident) sum += policy->cost_of(s);
        return sum;
    }
};

TEST(S3FifoPolicy, WeightNeverPassesTheCapacityAndACostAboveItIsRefused) {
    Driven d(100);
    EXPECT_FALSE(d.admit(0, 101));
    EXPECT_TRUE(d.evicted.empty());
    EXPECT_TRUE(d.admit(1, 100));  // the whole capacity is allowed
    uint64_t x = 7;
    for (Slot s = 2; s < 3000; ++s) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t cost = 1 + (x >> 33) % 30;
        ASSERT_TRUE(d.admit(s, cost)) << s;
        for (Slot e : d.evicted) ASSERT_NE(e, s);
        ASSERT_LE(d.policy->weight(), 100u) << s;
        ASSERT_EQ(d.policy->weight(), d.summed_cost()) << s;
        if ((x >> 20) % 3 == 0) d.policy->on_hit(*d.resident.begin());
    }
}

TEST(S3FifoPolicy, AnUpdateToALargerCostEvictsWhatNoLongerFits) {
    Driven d(10);
    for (Slot s = 0; s < 5; ++s) d.admit(s, 2);  // all in small, weight 10
    d.update(0, 6);  // counts as a hit: 0 moves on to main, 1 and 2 (unhit) make the room
    EXPECT_EQ(d.evicted, (std::vector<Slot>{1, 2}));
    EXPECT_EQ(d.policy->cost_of(0), 6u);
    EXPECT_EQ(d.policy->weight(), 10u);
    d.update(3, 11);  // above the capacity: the entry itself goes
    EXPECT_EQ(d.evicted, (std::vector<Slot>{3}));
    EXPECT_EQ(d.policy->weight(), 8u);
}

TEST(S3FifoPolicy, TheGhostRemembersAboutAsMuchCostAsMainHoldsNotOneKeyPerCostUnit) {
    Driven d(100);  // main 90: nine entries of cost 10
    for (Slot s = 0; s < 10; ++s) d.admit(s, 10);
    for (Slot s = 10; s < 30; ++s) d.admit(s, 10);  // 0 .. 19 leave small as ghosts
    ASSERT_FALSE(d.resident.count(0));
    d.admit(19, 10);  // the newest ghost: main
    d.admit(0, 10);   // twenty ghosts ago, long forgotten: small
    for (Slot s = 100; s < 120; ++s) d.admit(s, 10);
    EXPECT_TRUE(d.resident.count(19));
    EXPECT_FALSE(d.resident.count(0));
}

}  // namespace
}  // namespace cs::test
