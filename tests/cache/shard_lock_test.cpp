// ShardLock and its reader lanes: readers share a shard, a writer has it alone (readers and other
// writers wait for it, it waits for readers inside), hits and misses are counted in the lanes;
// and thread slots are distinct among live threads and reused after a thread exits.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "cache/shard_lock.h"
#include "runtime/thread_slot.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;
using cache::ReaderLanes;
using cache::ReadOutcome;
using cache::ShardLock;

// Waits (bounded) until `flag` is set; false if it never was.
bool eventually(const std::atomic<bool>& flag) {
    for (int i = 0; i < 5000 && !flag.load(); ++i) std::this_thread::sleep_for(1ms);
    return flag.load();
}

TEST(ShardLock, ReadersShareTheShard) {
    ReaderLanes lanes(4);
    ShardLock lock(lanes, 2);
    auto first = lock.lock_shared();
    std::atomic<bool> second_inside{false};
    std::thread other([&] {
        auto second = lock.lock_shared();  // while the first reader is still inside
        second_inside = true;
        second.leave(ReadOutcome::hit);
    });
    EXPECT_TRUE(eventually(second_inside));
    other.join();
    first.leave(ReadOutcome::hit);
    EXPECT_EQ(lanes.hits(), 2u);
    EXPECT_EQ(lanes.misses(), 0u);
}

TEST(ShardLock, AWriterWaitsForTheReadersInsideAndOnlyThoseOfItsShard) {
    ReaderLanes lanes(2);
    ShardLock shard0(lanes, 0), shard1(lanes, 1);
    auto reader = shard0.lock_shared();
    std::atomic<bool> other_shard_written{false}, written{false};
    std::thread writer1([&] {
        std::lock_guard exclusive(shard1);  // a reader of another shard does not hold it up
        other_shard_written = true;
    });
    EXPECT_TRUE(eventually(other_shard_written));
    writer1.join();
    std::thread writer0([&] {
        std::lock_guard exclusive(shard0);
        written = true;
    });
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(written.load()) << "the writer went in beside a reader";
    reader.leave(ReadOutcome::miss);
    EXPECT_TRUE(eventually(written));
    writer0.join();
    EXPECT_EQ(lanes.hits(), 0u);
    EXPECT_EQ(lanes.misses(), 1u);
}

TEST(ShardLock, ReadersAndOtherWritersWaitForTheWriter) {
    ReaderLanes lanes(1);
    ShardLock lock(lanes, 0);
    lock.lock();
    std::atomic<bool> read{false}, written{false};
    std::thread reader([&] {
        lock.lock_shared().leave(ReadOutcome::uncounted);
        read = true;
    });
    std::thread writer([&] {
        std::lock_guard exclusive(lock);
        written = true;
    });
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(read.load()) << "a reader went in beside the writer";
    EXPECT_FALSE(written.load()) << "two writers at once";
    lock.unlock();
    EXPECT_TRUE(eventually(read));
    EXPECT_TRUE(eventually(written));
    reader.join();
    writer.join();
    EXPECT_EQ(lanes.hits() + lanes.misses(), 0u);  // uncounted
}

// Writers keep two plain numbers equal; readers must never see them differ. Under
// ThreadSanitizer any read or write the lock failed to order is also reported as a race.
TEST(ShardLock, ReadersNeverSeeAWriteHalfDone) {
    ReaderLanes lanes(1, /*lanes=*/2);  // fewer lanes than threads: lanes are shared too
    ShardLock lock(lanes, 0);
    uint64_t a = 0, b = 0;
    constexpr int readers = 3, writers = 2, rounds = 20'000;
    std::atomic<int> torn{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&] {
            for (int i = 0; i < rounds; ++i) {
                std::lock_guard exclusive(lock);
                ++a;
                ++b;
            }
        });
    for (int r = 0; r < readers; ++r)
        threads.emplace_back([&] {
            for (int i = 0; i < rounds; ++i) {
                auto hold = lock.lock_shared();
                if (a != b) torn.fetch_add(1);
                hold.leave(i % 2 ? ReadOutcome::hit : ReadOutcome::miss);
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(torn.load(), 0);
    EXPECT_EQ(a, uint64_t(writers * rounds));
    EXPECT_EQ(lanes.hits(), uint64_t(readers * rounds / 2));
    EXPECT_EQ(lanes.misses(), uint64_t(readers * rounds / 2));
}

TEST(ShardLock, LanesAreAPowerOfTwoAndAtLeastFourByDefault) {
    EXPECT_EQ(ReaderLanes(8, 3).lanes(), 4u);
    size_t chosen = ReaderLanes(8).lanes();
    EXPECT_GE(chosen, 4u);
    EXPECT_LE(chosen, 32u);
    EXPECT_EQ(chosen & (chosen - 1), 0u);
}

TEST(ThreadSlot, LiveThreadsHaveDistinctSlotsAndAnExitedThreadsSlotIsReused) {
    constexpr int live = 8;
    std::mutex mu;
    std::set<unsigned> slots;
    std::atomic<int> arrived{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < live; ++t)
        threads.emplace_back([&] {
            unsigned slot = rt::thread_slot();
            EXPECT_EQ(rt::thread_slot(), slot);  // the same on every call
            {
                std::lock_guard lock(mu);
                slots.insert(slot);
            }
            arrived.fetch_add(1);
            while (arrived.load() < live) std::this_thread::yield();  // all alive at once
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(slots.size(), size_t(live));
    for (unsigned s : slots) EXPECT_LT(s, rt::thread_slot_count);

    // Hundreds of threads, one after another: each takes a slot freed by those before it.
    unsigned highest = 0;
    for (int t = 0; t < 300; ++t)
        std::thread([&] { highest = std::max(highest, rt::thread_slot()); }).join();
    EXPECT_LT(highest, 32u);  // without reuse they would run out at 64
}

}  // namespace
}  // namespace cs::test
