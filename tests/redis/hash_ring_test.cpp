// The consistent-hash ring: keys spread evenly over the nodes, and adding or removing one of N
// nodes moves about 1/N of the keys — only to or from that node — where hash % N moves most.
#include <gtest/gtest.h>

#include <map>

#include "cache/key_hash.h"
#include "redis/hash_ring.h"
#include "runtime/errors.h"

namespace cs::test {
namespace {

using redis::HashRing;

constexpr int key_count = 100'000;

std::vector<std::string> owners(const HashRing& ring) {
    std::vector<std::string> out;
    out.reserve(key_count);
    for (int i = 0; i < key_count; ++i) out.push_back(ring.node_for("key:" + std::to_string(i)));
    return out;
}

HashRing ring_of(int nodes) {
    HashRing ring;
    for (int n = 0; n < nodes; ++n) ring.add_node("127.0.0.1:" + std::to_string(7000 + n));
    return ring;
}

TEST(HashRing, SpreadsKeysEvenlyOverTheNodes) {
    HashRing ring = ring_of(4);
    std::map<std::string, int> share;
    for (const std::string& node : owners(ring)) ++share[node];
    ASSERT_EQ(share.size(), 4u);
    for (const auto& [node, keys] : share) {
        EXPECT_GT(keys, key_count / 4 * 0.8) << node;
        EXPECT_LT(keys, key_count / 4 * 1.2) << node;
    }
}

TEST(HashRing, AddingAFifthNodeMovesAboutAFifthOfTheKeysAllToIt) {
    HashRing ring = ring_of(4);
    std::vector<std::string> before = owners(ring);
    ring.add_node("127.0.0.1:7004");
    std::vector<std::string> after = owners(ring);
    int moved = 0;
    for (int i = 0; i < key_count; ++i) {
        if (before[size_t(i)] == after[size_t(i)]) continue;
        ++moved;
        EXPECT_EQ(after[size_t(i)], "127.0.0.1:7004") << "key:" << i << " moved between old nodes";
    }
    double fraction = double(moved) / key_count;
    std::printf("adding 1 node to 4 moved %.1f%% of the keys (ideal 20%%)\n", 100 * fraction);
    EXPECT_GT(fraction, 0.15);
    EXPECT_LT(fraction, 0.25);

    // What hash % N would have done, for contrast: most keys move.
    int modulo_moved = 0;
    for (int i = 0; i < key_count; ++i) {
        uint64_t h = cache::hash_key("key:" + std::to_string(i));
        modulo_moved += h % 4 != h % 5;
    }
    EXPECT_GT(double(modulo_moved) / key_count, 0.7);
}

TEST(HashRing, RemovingANodeMovesOnlyItsKeys) {
    HashRing ring = ring_of(5);
    std::vector<std::string> before = owners(ring);
    ASSERT_TRUE(ring.remove_node("127.0.0.1:7002"));
    EXPECT_FALSE(ring.remove_node("127.0.0.1:7002"));
    std::vector<std::string> after = owners(ring);
    int moved = 0;
    for (int i = 0; i < key_count; ++i) {
        if (before[size_t(i)] == after[size_t(i)]) continue;
        ++moved;
        EXPECT_EQ(before[size_t(i)], "127.0.0.1:7002") << "key:" << i;
    }
    double fraction = double(moved) / key_count;
    EXPECT_GT(fraction, 0.15);
    EXPECT_LT(fraction, 0.25);
    ring.add_node("127.0.0.1:7002");  // back: every key returns to where it was
    EXPECT_EQ(owners(ring), before);
}

TEST(HashRing, RefusesDuplicatesEmptyNamesAndLookupsOnAnEmptyRing) {
    HashRing ring;
    EXPECT_THROW(ring.node_for("k"), rt::UsageError);
    ring.add_node("a");
    EXPECT_THROW(ring.add_node("a"), rt::InvalidArgument);
    EXPECT_THROW(ring.add_node(""), rt::InvalidArgument);
    EXPECT_THROW(HashRing(0), rt::InvalidArgument);
    EXPECT_EQ(ring.node_for("anything"), "a");
}

}  // namespace
}  // namespace cs::test
