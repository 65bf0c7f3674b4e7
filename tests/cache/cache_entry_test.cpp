// CacheEntry keeps key and value inline up to 22 bytes and on the heap beyond; values move across
// that boundary both ways, and moves carry both kinds. hash_key reads no byte outside the key
// (checked under ASan) and spreads keys over both halves of the hash.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cache/cache_entry.h"
#include "cache/key_hash.h"

namespace cs::test {
namespace {

using cache::CacheEntry;

TEST(CacheEntry, KeepsKeyAndValueInlineOrOnTheHeapAndMovesBetween) {
    CacheEntry e;
    EXPECT_EQ(e.key(), "");
    e.assign("user:1", "Ada");
    EXPECT_EQ(e.key(), "user:1");
    EXPECT_EQ(e.value(), "Ada");

    std::string long_value(100, 'x');
    e.replace_value(long_value);  // inline -> heap
    EXPECT_EQ(e.key(), "user:1");
    EXPECT_EQ(e.value(), long_value);
    e.replace_value(std::string(200, 'y'));  // heap -> bigger heap
    EXPECT_EQ(e.value(), std::string(200, 'y'));
    e.replace_value("short");  // heap -> stays correct (block kept or freed, never read freed)
    EXPECT_EQ(e.key(), "user:1");
    EXPECT_EQ(e.value(), "short");

    CacheEntry moved(std::move(e));
    EXPECT_EQ(moved.key(), "user:1");
    EXPECT_EQ(moved.value(), "short");
    EXPECT_EQ(e.key(), "");  // NOLINT(bugprone-use-after-move): the moved-from state is defined

    std::vector<CacheEntry> grown;  // growth moves heap entries without copying or leaking
    for (int i = 0; i < 100; ++i) {
        grown.emplace_back();
        grown.back().assign("k" + std::to_string(i), std::string(size_t(i), 'v'));
    }
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(grown[size_t(i)].key(), "k" + std::to_string(i));
        EXPECT_EQ(grown[size_t(i)].value(), std::string(size_t(i), 'v'));
    }
    grown[50].reset();
    EXPECT_EQ(grown[50].key(), "");
    EXPECT_EQ(grown[50].value(), "");
}

TEST(CacheEntry, KeepsEveryLengthAcrossTheInlineBoundaryAndBeyondAByteOfLength) {
    for (size_t key_len : {0, 1, 10, 21, 22, 23, 255, 256, 1000}) {
        for (size_t value_len : {0, 1, 11, 12, 13, 255, 256, 70'000}) {
            std::string key(key_len, 'k'), value(value_len, 'v');
            if (key_len) key.back() = 'K';
            if (value_len) value.front() = 'V';
            CacheEntry e;
            e.assign(key, value);
            ASSERT_EQ(e.key(), key) << key_len << "+" << value_len;
            ASSERT_EQ(e.value(), value) << key_len << "+" << value_len;
            std::string other(value_len + 1, 'w');  // crosses the boundary where it is close
            e.replace_value(other);
            ASSERT_EQ(e.key(), key) << key_len << "+" << value_len;
            ASSERT_EQ(e.value(), other) << key_len << "+" << value_len;
        }
    }
}

TEST(CacheEntry, ExpiresAtItsDeadlineAndNeverWithoutOne) {
    CacheEntry e;
    e.assign("k", "v");
    EXPECT_FALSE(e.expired_at(INT64_MAX - 1));
    e.expires_ns = 1000;
    EXPECT_FALSE(e.expired_at(999));
    EXPECT_TRUE(e.expired_at(1000));
}

TEST(KeyHash, DistinctKeysOfEveryLengthGetDistinctHashesInBothHalves) {
    auto make_key = [](size_t len, int i) {
        std::string s(len, 'a');
        if (len > 0) s[size_t(i) % len] = char('a' + i % 26);
        if (len > 1) s[(size_t(i) / 26) % len] = char('A' + i % 7);
        return s;
    };
    std::set<std::string> distinct;
    std::set<uint64_t> full, high, low;
    for (size_t len = 0; len <= 64; ++len) {
        for (int i = 0; i < 200; ++i) {
            std::string s = make_key(len, i);
            // A heap copy of exactly `len` bytes, so ASan flags any read past the key.
            std::unique_ptr<char[]> exact(new char[std::max<size_t>(len, 1)]);
            std::copy(s.begin(), s.end(), exact.get());
            uint64_t h = cache::hash_key(std::string_view(exact.get(), len));
            EXPECT_EQ(h, cache::hash_key(s));
            distinct.insert(s);
            full.insert(h);
            high.insert(h >> 48);
            low.insert(h & 0xFFFF);
        }
    }
    ASSERT_GT(distinct.size(), 5000u);
    EXPECT_EQ(full.size(), distinct.size());  // no collision among these
    // 16-bit halves of the distinct keys: both spread over most of their range.
    EXPECT_GT(high.size(), distinct.size() * 9 / 10);
    EXPECT_GT(low.size(), distinct.size() * 9 / 10);
}

}  // namespace
}  // namespace cs::test
