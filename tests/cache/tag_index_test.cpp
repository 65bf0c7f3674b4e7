#include "cache/tag_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

namespace cs::test {
namespace {

using cache::TagIndex;

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

TEST(TagIndex, TakeKeysReturnsTheTagsKeysOnceAndForgetsThemEntirely) {
    TagIndex tags;
    tags.tag("user:1", {"team:7"});
    tags.tag("user:2", {"team:7", "org:2"});
    tags.tag("user:2", {"team:7"});  // again: no duplicate
    tags.tag("order:1", std::vector<std::string>{"org:2"});
    EXPECT_EQ(tags.key_count(), 3u);
    EXPECT_EQ(tags.tag_count(), 2u);
    EXPECT_EQ(tags.tags_of("user:2"), (std::vector<std::string>{"org:2", "team:7"}));

    EXPECT_EQ(sorted(tags.take_keys("team:7")), (std::vector<std::string>{"user:1", "user:2"}));
    EXPECT_TRUE(tags.take_keys("team:7").empty());
    // user:2 left org:2 as well: what is cached again is tagged again.
    EXPECT_TRUE(tags.tags_of("user:2").empty());
    EXPECT_EQ(tags.take_keys("org:2"), (std::vector<std::string>{"order:1"}));
    EXPECT_EQ(tags.key_count(), 0u);
    EXPECT_EQ(tags.tag_count(), 0u);
    EXPECT_TRUE(tags.take_keys("never").empty());
}

TEST(TagIndex, ForgetDropsAKeyFromEveryTag) {
    TagIndex tags;
    tags.tag("a", {"x", "y"});
    tags.tag("b", {"y"});
    tags.forget("a");
    tags.forget("absent");
    EXPECT_TRUE(tags.take_keys("x").empty());
    EXPECT_EQ(tags.take_keys("y"), (std::vector<std::string>{"b"}));
    EXPECT_EQ(tags.tag_count(), 0u);
}

TEST(TagIndex, ConcurrentTaggingAndTakingHandsEveryKeyOutAtMostOnce) {
    TagIndex tags;
    constexpr int threads = 4, keys = 2000;
    std::vector<std::vector<std::string>> taken(threads + 1);
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t) {
        ts.emplace_back([&, t] {
            for (int i = 0; i < keys; ++i) {
                std::string k = std::to_string(t) + ":" + std::to_string(i);
                tags.tag(k, {"all", "t" + std::to_string(t)});
                if (i % 100 == 0)
                    for (auto& got : tags.take_keys("all")) taken[t].push_back(std::move(got));
                if (i % 7 == 0) tags.forget(k);
            }
        });
    }
    for (auto& t : ts) t.join();
    taken[threads] = tags.take_keys("all");

    std::set<std::string> seen;
    for (const auto& v : taken)
        for (const auto& k : v) EXPECT_TRUE(seen.insert(k).second) << k << " handed out twice";
    // Every key not forgotten was handed out; a forgotten one only if taken before forget().
    for (int t = 0; t < threads; ++t) {
        for (int i = 0; i < keys; ++i) {
            if (i % 7 == 0) continue;
            EXPECT_TRUE(seen.count(std::to_string(t) + ":" + std::to_string(i))) << t << ":" << i;
        }
    }
    EXPECT_EQ(tags.key_count(), 0u);
    EXPECT_EQ(tags.tag_count(), 0u);
}

}  // namespace
}  // namespace cs::test
