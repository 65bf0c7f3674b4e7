// WriteThrough against a real SQLite origin (a temp file) and a LocalCache, on a real engine.
// Outages are the origin's own switch (set_available(false)): no mock anywhere.
#include <string>
#include <vector>

#include "cache/write_through.h"
#include "cache_world.h"
#include "delayed_tier.h"

namespace cs::test {
namespace {

using cache::OriginError;
using cache::RemovalCause;
using cache::SqliteOrigin;
using cache::SqliteOriginOptions;
using cache::Ttl;
using cache::WriteThrough;

TEST(WriteThrough, AWriteReachesTheOriginAndTheCache) {
    World w({}, {.name = "users"});
    WriteThrough writes(w.tier, w.db, {.ttl = Ttl::of(std::chrono::minutes(5))});
    run_task(w.engine, [&]() -> Task<> {
        co_await writes.write("user:1", "Ada");
        co_await writes.write("user:1", "Ada Lovelace");  // replaces in both
        co_await writes.write("user:2", "Grace");
    });
    EXPECT_EQ(w.db.get_sync("user:1"), "Ada Lovelace");
    EXPECT_EQ(w.db.get_sync("user:2"), "Grace");
    EXPECT_EQ(w.cache.peek("user:1"), "Ada Lovelace");
    EXPECT_EQ(w.cache.peek("user:2"), "Grace");
    EXPECT_EQ(w.db.stats().stores, 3u);
    auto s = writes.stats();
    EXPECT_EQ(s.writes, 3u);
    EXPECT_EQ(s.failed_writes, 0u);
    EXPECT_EQ(s.contended, 0u);
}

TEST(WriteThrough, AnOriginOutageFailsTheWriteAsAWhole) {
    World w({}, {.name = "users"});
    WriteThrough writes(w.tier, w.db);
    w.db.put_sync({{"user:1", "Ada"}, {"user:2", "Grace"}});
    w.cache.set("user:1", "Ada");  // cached before the outage
    w.cache.set("user:2", "Grace");
    w.db.set_available(false);
    std::string message;
    run_task(w.engine, [&]() -> Task<> {
        try {
            co_await writes.write("user:1", "Barbara");
            ADD_FAILURE() << "the write succeeded during the outage";
        } catch (const OriginError& e) {
            message = e.what();
        }
        // A key that was not cached: still not, and nothing in the origin.
        EXPECT_THROW(co_await writes.write("user:3", "Edsger"), OriginError);
    });
    EXPECT_EQ(message, "origin 'users' is unavailable");
    // Not the new value (the origin lacks it), and not the old one (it may be stale).
    EXPECT_EQ(w.cache.peek("user:1"), std::nullopt);
    EXPECT_EQ(w.cache.peek("user:3"), std::nullopt);
    EXPECT_EQ(w.cache.stats().removed(RemovalCause::invalidated), 1u);
    EXPECT_EQ(w.cache.peek("user:2"), "Grace");  // another key is left alone
    EXPECT_EQ(w.db.get_sync("user:1"), "Ada");   // the origin is unchanged
    EXPECT_EQ(w.db.get_sync("user:3"), std::nullopt);
    auto s = writes.stats();
    EXPECT_EQ(s.writes, 0u);
    EXPECT_EQ(s.failed_writes, 2u);

    w.db.set_available(true);  // back: the same write goes through
    run_task(w.engine, [&]() -> Task<> { co_await writes.write("user:1", "Barbara"); });
    EXPECT_EQ(w.db.get_sync("user:1"), "Barbara");
    EXPECT_EQ(w.cache.peek("user:1"), "Barbara");
    EXPECT_EQ(writes.stats().writes, 1u);
}

TEST(WriteThrough, EraseRemovesFromBothAndAFailedEraseInvalidates) {
    World w({}, {.name = "users"});
    WriteThrough writes(w.tier, w.db);
    bool existed = false, existed_again = true;
    run_task(w.engine, [&]() -> Task<> {
        co_await writes.write("user:1", "Ada");
        co_await writes.write("user:2", "Grace");
        existed = co_await writes.erase("user:1");
        existed_again = co_await writes.erase("user:1");
    });
    EXPECT_TRUE(existed);
    EXPECT_FALSE(existed_again);
    EXPECT_EQ(w.db.get_sync("user:1"), std::nullopt);
    EXPECT_EQ(w.cache.peek("user:1"), std::nullopt);
    EXPECT_EQ(w.cache.stats().removed(RemovalCause::explicit_), 1u);

    w.db.set_available(false);
    run_task(w.engine,
             [&]() -> Task<> { EXPECT_THROW(co_await writes.erase("user:2"), OriginError); });
    EXPECT_EQ(w.cache.peek("user:2"), std::nullopt);  // invalidated: the erase may have landed
    EXPECT_EQ(w.db.get_sync("user:2"), "Grace");      // it did not
    auto s = writes.stats();
    EXPECT_EQ(s.erases, 2u);
    EXPECT_EQ(s.failed_erases, 1u);
}

TEST(WriteThrough, AnOlderWriteWhoseCacheSetLandsLastDoesNotOutliveTheOriginsValue) {
    // A's origin write lands first, then B's; A's cache set (slow, like a remote tier's) lands
    // after B's. Left alone the cache would keep A while the origin keeps B: A must see that B
    // overlapped it and invalidate after its set. The clock is paused while B runs, so A's set
    // cannot land before B's whatever the threads do.
    World w;
    DelayedTier tier(w.tier, [](const std::string& value) {
        return value == "A" ? rt::Duration(std::chrono::milliseconds(10)) : rt::Duration::zero();
    });
    WriteThrough writes(tier, w.db);
    w.engine.pause();
    auto a = w.engine.spawn("writer A", [&]() -> Task<> { co_await writes.write("k", "A"); });
    ASSERT_TRUE(eventually([&] { return tier.delayed_sets.load() == 1; }));  // A is in its set
    run_task(w.engine, [&]() -> Task<> { co_await writes.write("k", "B"); });
    // B overlapped A too and cannot tell whether A's set is still to come: it invalidates.
    EXPECT_EQ(w.cache.peek("k"), std::nullopt);
    w.engine.resume();
    a.wait();
    EXPECT_EQ(w.db.get_sync("k"), "B");
    EXPECT_EQ(w.cache.peek("k"), std::nullopt);  // the next read loads B
    auto s = writes.stats();
    EXPECT_EQ(s.writes, 2u);
    EXPECT_EQ(s.contended, 2u);  // each saw the other
}

TEST(WriteThrough, OverlappingWritesOfAKeyNeverLeaveTheCacheDisagreeingWithTheOrigin) {
    // Writers of the same few keys at once, with origin latency so that their calls overlap:
    // whatever order their origin writes and cache sets land in, afterwards each key is either
    // absent from the cache or holds what the origin kept.
    World w({}, {.latency = std::chrono::milliseconds(1)});
    WriteThrough writes(w.tier, w.db);
    constexpr int writers = 8, rounds = 25, keys = 3;
    std::vector<rt::JoinHandle> handles;
    for (int t = 0; t < writers; ++t) {
        handles.push_back(w.engine.spawn("writer", [&, t]() -> Task<> {
            for (int i = 0; i < rounds; ++i) {
                std::string key = "k" + std::to_string((t + i) % keys);
                if (i % 7 == 6)
                    (void)co_await writes.erase(key);
                else
                    co_await writes.write(key, std::to_string(t) + ":" + std::to_string(i));
            }
        }));
    }
    for (auto& h : handles) h.wait();
    for (int k = 0; k < keys; ++k) {
        const std::string key = "k" + std::to_string(k);
        auto cached = w.cache.peek(key);
        if (cached) {
            EXPECT_EQ(cached, w.db.get_sync(key)) << key;
        }
    }
    auto s = writes.stats();
    EXPECT_EQ(s.writes + s.erases, uint64_t(writers * rounds));
    EXPECT_EQ(s.failed_writes + s.failed_erases + s.cache_failures, 0u);
    EXPECT_LE(s.contended, s.writes);
}

}  // namespace
}  // namespace cs::test
