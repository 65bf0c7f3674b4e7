// SlotTable against a std::unordered_map model: every key stays findable through inserts,
// erases (tombstones), colliding hashes that probe across groups, and rebuilds that grow, clean
// and shrink the table while reporting where each entry went.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>

#include "cache/key_hash.h"
#include "cache/slot_table.h"

namespace cs::test {
namespace {

using cache::no_slot;
using cache::Slot;
using cache::SlotTable;

// The table plus the model: key -> slot, kept up to date through rebuilds.
struct ModelledTable {
    SlotTable table;
    std::unordered_map<std::string, Slot> slot_of;
    int rebuilds = 0;

    void insert(const std::string& key, uint64_t hash) {
        ASSERT_EQ(table.find(hash, key), no_slot) << key;
        if (table.needs_rebuild()) {
            cache::Relocation where = table.rebuild();
            ++rebuilds;
            for (auto& [k, s] : slot_of) {
                ASSERT_NE(where[s], no_slot) << k << " lost in a rebuild";
                s = where[s];
            }
        }
        Slot s = table.insert(hash);
        table[s].assign(key, "v:" + key);
        slot_of[key] = s;
    }
    void insert(const std::string& key) { insert(key, cache::hash_key(key)); }
    void erase(const std::string& key) {
        table.erase(slot_of.at(key));
        slot_of.erase(key);
    }
    void expect_consistent(uint64_t (*hash)(std::string_view) = nullptr) const {
        EXPECT_EQ(table.size(), slot_of.size());
        for (const auto& [k, s] : slot_of) {
            uint64_t h = hash ? hash(k) : cache::hash_key(k);
            ASSERT_EQ(table.find(h, k), s) << k;
            EXPECT_EQ(table[s].value(), "v:" + k);
        }
    }
};

TEST(SlotTable, FindsEveryKeyThroughGrowthAndReportsWhereRebuildsMovedThem) {
    ModelledTable m;
    for (int i = 0; i < 5000; ++i) m.insert("key:" + std::to_string(i));
    EXPECT_GE(m.rebuilds, 4);  // 16 slots to 16384, at most 7/16 full after each
    m.expect_consistent();
    EXPECT_EQ(m.table.find(cache::hash_key("key:5000"), "key:5000"), no_slot);
    EXPECT_LE(m.table.size() * 8, m.table.slot_count() * 7);
}

TEST(SlotTable, MatchesAModelUnderRandomInsertsAndErases) {
    ModelledTable m;
    std::mt19937_64 rng(7);
    for (int step = 0; step < 200'000; ++step) {
        std::string key = "k" + std::to_string(rng() % 3000);
        if (m.slot_of.count(key))
            m.erase(key);
        else
            m.insert(key);
        if (step % 20'000 == 0) m.expect_consistent();
    }
    m.expect_consistent();
    for (int i = 0; i < 3000; ++i) {
        std::string key = "k" + std::to_string(i);
        EXPECT_EQ(m.table.find(cache::hash_key(key), key) != no_slot, m.slot_of.count(key) == 1);
    }
}

// Keys that share a hash share a first group and a tag: they fill it, spill into the next ones,
// and must stay findable when the ones before them are erased (tombstones, not empties).
TEST(SlotTable, CollidingKeysProbePastFullGroupsAndSurviveErasesBeforeThem) {
    ModelledTable m;
    for (int i = 0; i < 100; ++i) m.insert("real:" + std::to_string(i));  // 256 slots now
    ASSERT_GE(m.table.slot_count(), 64u);
    const uint64_t same = 0x1234'5678'9ABC'DEF0ull;
    std::vector<std::string> colliding;
    for (int i = 0; i < 40 && !m.table.needs_rebuild(); ++i) {
        colliding.push_back("c" + std::to_string(i));
        m.insert(colliding.back(), same);
    }
    ASSERT_EQ(colliding.size(), 40u);
    for (size_t i = 0; i < 20; ++i) m.erase(colliding[i]);  // the ones nearest the home group
    for (size_t i = 20; i < 40; ++i) {
        Slot s = m.table.find(same, colliding[i]);
        ASSERT_NE(s, no_slot) << colliding[i];
        EXPECT_EQ(s, m.slot_of.at(colliding[i]));
    }
    for (size_t i = 0; i < 20; ++i) EXPECT_EQ(m.table.find(same, colliding[i]), no_slot);
}

TEST(SlotTable, ARebuildAfterMostKeysLeftShrinksTheTable) {
    ModelledTable m;
    for (int i = 0; i < 4000; ++i) m.insert("key:" + std::to_string(i));
    size_t big = m.table.slot_count();
    for (int i = 0; i < 3990; ++i) m.erase("key:" + std::to_string(i));
    cache::Relocation where = m.table.rebuild();
    for (auto& [k, s] : m.slot_of) s = where[s];
    EXPECT_LT(m.table.slot_count() * 16, big);
    m.expect_consistent();
}

}  // namespace
}  // namespace cs::test
