// FlatIndex against std::unordered_map under random inserts and erases, with a hash that
// collides often (few distinct homes) so runs wrap and backward shifts are exercised.
#include <gtest/gtest.h>

#include <unordered_map>

#include "cache/flat_index.h"

namespace cs::test {
namespace {

using cache::FlatIndex;
using cache::Slot;

TEST(FlatIndex, MatchesAReferenceMapUnderRandomInsertsAndErases) {
    FlatIndex index;
    std::unordered_map<uint64_t, Slot> reference;  // key -> slot
    std::vector<uint64_t> key_of_slot(5000, 0);
    std::vector<Slot> free_slots;
    for (Slot s = 0; s < 5000; ++s) free_slots.push_back(s);
    auto hash = [](uint64_t key) { return (key % 97) * 0x9E3779B97F4A7C15ull ^ (key << 40); };
    uint64_t x = 12345;
    for (int step = 0; step < 200'000; ++step) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t key = (x >> 33) % 3000;
        uint64_t h = hash(key);
        Slot found = index.find(h, [&](Slot s) { return key_of_slot[s] == key; });
        auto it = reference.find(key);
        ASSERT_EQ(found == FlatIndex::no_slot_value, it == reference.end()) << "step " << step;
        if (it != reference.end()) {
            ASSERT_EQ(found, it->second);
            if ((x >> 20) % 2) {
                index.erase(h, found);
                free_slots.push_back(found);
                reference.erase(it);
            }
        } else {
            Slot s = free_slots.back();
            free_slots.pop_back();
            key_of_slot[s] = key;
            index.insert(h, s);
            reference.emplace(key, s);
        }
        ASSERT_EQ(index.size(), reference.size());
    }
    for (const auto& [key, slot] : reference)
        EXPECT_EQ(index.find(hash(key), [&](Slot s) { return key_of_slot[s] == key; }), slot);
}

}  // namespace
}  // namespace cs::test
