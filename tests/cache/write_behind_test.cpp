// WriteBehind against a real SQLite origin (a temp file) and a LocalCache, on a real engine.
// Outages are the origin's own switch (set_available(false)) and its injected error rate; no
// mock anywhere.
//
// Timing: the tests that reason about time run on a paused clock or in deterministic mode
// (virtual time). Virtual time jumps to the next timer whenever every task is parked — also
// while a SQLite call runs on the blocking pool — so a test never sleeps "long enough" for a
// batch to land: it flushes, or waits for a counter with `until`.
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../patterns/pattern_test_support.h"
#include "cache/write_behind.h"
#include "cache_world.h"
#include "delayed_tier.h"
#include "runtime/random.h"

namespace cs::test {
namespace {

using cache::KeyValue;
using cache::SqliteOrigin;
using cache::SqliteOriginOptions;
using cache::WriteBehind;
using cache::WriteBehindClosed;
using cache::WriteBehindOptions;
using cache::WriteBehindReport;
using cache::WriteBehindStats;
using rt::Context;
using rt::Status;

const EngineOptions deterministic{.deterministic = true};

// Every value acknowledged is accounted for: written, replaced by a newer one, or waiting.
void expect_accounted(const WriteBehindStats& s) {
    EXPECT_EQ(s.acknowledged, s.coalesced + s.rows_written + s.pending)
        << "acknowledged " << s.acknowledged << ", coalesced " << s.coalesced << ", written "
        << s.rows_written << ", pending " << s.pending;
}

// From a task: polls cond on the engine's clock until it holds (at most `tries` times).
Task<bool> until(std::function<bool()> cond, int tries = 100'000) {
    for (int i = 0; i < tries; ++i) {
        if (cond()) co_return true;
        co_await rt::sleep_for(std::chrono::milliseconds(1));
    }
    co_return cond();
}

std::string key_of(int i) {
    return "k" + std::to_string(i);
}

TEST(WriteBehind, AWriteIsAcknowledgedBeforeTheOriginHasIt) {
    World w({}, {.latency = std::chrono::milliseconds(100)});
    WriteBehind writes(w.engine, w.tier, w.db, {.name = "wb"});
    // With the clock paused neither the batch timer nor the origin's latency can run out:
    // whatever the threads do, the origin cannot have the value yet.
    w.engine.pause();
    run_task(w.engine, [&]() -> Task<> { co_await writes.write("user:1", "Ada"); });
    EXPECT_EQ(w.cache.peek("user:1"), "Ada");
    EXPECT_EQ(w.db.get_sync("user:1"), std::nullopt);
    WriteBehindStats s = writes.stats();
    EXPECT_EQ(s.acknowledged, 1u);
    EXPECT_EQ(s.pending, 1u);
    EXPECT_EQ(s.rows_written, 0u);

    w.engine.resume();
    Status flushed = Status::cancelled;
    run_task(w.engine, [&]() -> Task<> { flushed = co_await writes.flush(); });
    EXPECT_EQ(flushed, Status::ok);
    EXPECT_EQ(w.db.get_sync("user:1"), "Ada");
    s = writes.stats();
    EXPECT_EQ(s.pending, 0u);
    EXPECT_EQ(s.rows_written, 1u);
    EXPECT_EQ(s.batches, 1u);
    EXPECT_EQ(s.oldest_pending_age, rt::Duration::zero());
    expect_accounted(s);
}

TEST(WriteBehind, WritesOfAKeyCoalesceAndTheLastValueWins) {
    World w(deterministic, {.latency = std::chrono::seconds(1)});
    WriteBehind writes(w.engine, w.tier, w.db, {.name = "wb", .flush_interval = {}});
    run_task(w.engine, [&]() -> Task<> {
        // Back to back (the task never parks in between): the flusher has not run, so the
        // first write waits and each of the 99 others replaces the one before.
        for (int i = 0; i < 100; ++i) co_await writes.write("hot", "a" + std::to_string(i));
        WriteBehindStats s = writes.stats();
        EXPECT_EQ(s.acknowledged, 100u);
        EXPECT_EQ(s.coalesced, 99u);
        EXPECT_EQ(s.pending, 1u);
        EXPECT_EQ(co_await writes.flush(), Status::ok);
    });
    EXPECT_EQ(w.db.get_sync("hot"), "a99");
    EXPECT_EQ(writes.stats().rows_written, 1u);
    EXPECT_EQ(w.db.stats().batch_rows, 1u);

    // Now spread over time while the origin is slow (1 s a batch, a write every 20 ms): a
    // write arriving while the key is in flight waits for the next batch, the writes after it
    // coalesce into it.
    run_task(w.engine, [&]() -> Task<> {
        for (int i = 0; i < 100; ++i) {
            co_await writes.write("hot", "b" + std::to_string(i));
            co_await rt::sleep_for(std::chrono::milliseconds(20));
        }
        EXPECT_EQ(co_await writes.flush(), Status::ok);
    });
    EXPECT_EQ(w.db.get_sync("hot"), "b99");
    EXPECT_EQ(w.cache.peek("hot"), "b99");
    WriteBehindStats s = writes.stats();
    EXPECT_EQ(s.acknowledged, 200u);
    EXPECT_EQ(s.pending, 0u);
    EXPECT_EQ(s.coalesced, 200u - s.rows_written);  // exact: no write is counted twice or lost
    EXPECT_LE(s.rows_written, 10u);                 // 2 s of writes, a batch a second or so
    EXPECT_EQ(w.db.stats().batch_rows, s.rows_written);
    EXPECT_EQ(s.origin_failures, 0u);
    expect_accounted(s);
}

TEST(WriteBehind, BatchesHoldAtMostBatchSizeRowsAndWaitToFill) {
    World w(deterministic, {.latency = std::chrono::milliseconds(10)});
    WriteBehind writes(w.engine, w.tier, w.db,
                       {.name = "wb", .batch_size = 10, .flush_interval = std::chrono::hours(1)});
    run_task(w.engine, [&]() -> Task<> {
        // Half a batch: it waits to fill (up to flush_interval), and its age shows.
        for (int i = 0; i < 5; ++i) co_await writes.write(key_of(i), "v");
        co_await rt::sleep_for(std::chrono::seconds(10));
        WriteBehindStats s = writes.stats();
        EXPECT_EQ(s.batches, 0u);
        EXPECT_EQ(s.pending, 5u);
        EXPECT_EQ(s.oldest_pending_age, std::chrono::seconds(10));
        // Filled: it goes without anyone asking.
        for (int i = 5; i < 10; ++i) co_await writes.write(key_of(i), "v");
        EXPECT_TRUE(co_await until([&] { return writes.stats().batches == 1; }));
        EXPECT_EQ(writes.stats().rows_written, 10u);

        // 85 more at once, then a flush: 8 full batches and one of 5.
        for (int i = 10; i < 95; ++i) co_await writes.write(key_of(i), "v");
        EXPECT_EQ(co_await writes.flush(), Status::ok);
    });
    WriteBehindStats s = writes.stats();
    EXPECT_EQ(s.batches, 10u);
    EXPECT_EQ(s.rows_written, 95u);
    EXPECT_EQ(s.largest_batch, 10u);
    EXPECT_EQ(s.max_pending, 85u);
    EXPECT_EQ(w.db.stats().batches, 10u);  // one transaction each
    EXPECT_EQ(w.db.stats().stores, 0u);
    EXPECT_EQ(w.db.count_sync(), 95u);
    expect_accounted(s);
}

// A key is written while its older value is in the batch being written; the clock is paused
// meanwhile, so the batch is certainly still in flight (in the origin's latency). Whether that
// batch then lands or fails, the origin must end with the newer value.
TEST(WriteBehind, AWriteOfAKeyInFlightIsNotLostWhenTheOlderBatchLands) {
    World w({}, {.latency = std::chrono::milliseconds(20)});
    WriteBehind writes(w.engine, w.tier, w.db, {.name = "wb", .flush_interval = {}});
    w.engine.pause();
    run_task(w.engine, [&]() -> Task<> { co_await writes.write("k", "old"); });
    ASSERT_TRUE(eventually([&] { return w.db.stats().batches == 1; }));  // "old" is in flight
    run_task(w.engine, [&]() -> Task<> { co_await writes.write("k", "new"); });
    EXPECT_EQ(writes.stats().coalesced, 0u);  // it cannot replace a value already sent
    EXPECT_EQ(writes.stats().pending, 2u);
    w.engine.resume();
    run_task(w.engine, [&]() -> Task<> { EXPECT_EQ(co_await writes.flush(), Status::ok); });
    EXPECT_EQ(w.db.get_sync("k"), "new");
    WriteBehindStats s = writes.stats();
    EXPECT_EQ(s.rows_written, 2u);  // in order: "old", then "new"
    EXPECT_EQ(s.batches, 2u);
    expect_accounted(s);
}

TEST(WriteBehind, AWriteOfAKeyInFlightSupersedesTheOlderValueWhenItsBatchFails) {
    World w({}, {.latency = std::chrono::milliseconds(20)});
    WriteBehind writes(w.engine, w.tier, w.db,
                       {.name = "wb",
                        .flush_interval = {},
                        .retry_initial = std::chrono::milliseconds(1),
                        .retry_max = std::chrono::milliseconds(5)});
    w.db.set_available(false);  // checked after the latency: the batch fails on landing
    w.engine.pause();
    run_task(w.engine, [&]() -> Task<> { co_await writes.write("k", "old"); });
    ASSERT_TRUE(eventually([&] { return w.db.stats().batches == 1; }));  // "old" is in flight
    run_task(w.engine, [&]() -> Task<> { co_await writes.write("k", "new"); });
    w.engine.resume();
    ASSERT_TRUE(eventually([&] { return writes.stats().origin_failures >= 1; }));
    // The failed "old" went back to the queue, where "new" was waiting: it was replaced.
    EXPECT_EQ(writes.stats().coalesced, 1u);
    w.db.set_available(true);
    run_task(w.engine, [&]() -> Task<> { EXPECT_EQ(co_await writes.flush(), Status::ok); });
    EXPECT_EQ(w.db.get_sync("k"), "new");
    WriteBehindStats s = writes.stats();
    EXPECT_EQ(s.rows_written, 1u);
    EXPECT_EQ(s.coalesced, 1u);
    expect_accounted(s);
}

// Writes 600 values over 100 keys, a write every millisecond, with the origin down from the
// 100th write to the 400th and until it has refused a few batches (virtual time may run ahead
// during one SQLite call, so the write count alone does not make the flusher meet the outage);
// then flushes. Every key's last value must be in the origin.
void outage_mid_run(EngineOptions engine_options) {
    World w(engine_options, {.name = "users"});
    WriteBehind writes(w.engine, w.tier, w.db,
                       {.name = "wb",
                        .batch_size = 16,
                        .flush_interval = std::chrono::milliseconds(5),
                        .retry_initial = std::chrono::milliseconds(5),
                        .retry_max = std::chrono::milliseconds(40)});
    constexpr int total = 600, keys = 100;
    std::map<std::string, std::string> last;
    Status flushed = Status::cancelled;
    run_task(w.engine, [&]() -> Task<> {
        for (int i = 0; i < total; ++i) {
            if (i == 100) w.db.set_available(false);
            if (i == 400) {
                EXPECT_TRUE(co_await until([&] { return writes.stats().origin_failures >= 3; }));
                w.db.set_available(true);
            }
            const std::string key = key_of((i * 7) % keys), value = "v" + std::to_string(i);
            co_await writes.write(key, value);
            last[key] = value;
            co_await rt::sleep_for(std::chrono::milliseconds(1));
        }
        flushed = co_await writes.flush();
    });
    EXPECT_EQ(flushed, Status::ok);
    for (const auto& [key, value] : last) EXPECT_EQ(w.db.get_sync(key), value) << key;
    EXPECT_EQ(w.db.count_sync(), uint64_t(keys));
    WriteBehindStats s = writes.stats();
    EXPECT_EQ(s.acknowledged, uint64_t(total));
    EXPECT_EQ(s.pending, 0u);
    EXPECT_GT(s.origin_failures, 0u);
    EXPECT_GT(s.retries, 0u);
    EXPECT_EQ(s.origin_failures, w.db.stats().failures);
    EXPECT_EQ(s.batches + s.origin_failures, w.db.stats().batches);
    expect_accounted(s);
}

TEST(WriteBehind, AnOriginOutageLosesNoAcknowledgedWrite) {
    outage_mid_run(deterministic);
}

TEST(WriteBehind, AnOriginOutageLosesNoAcknowledgedWriteOnWorkerThreads) {
    outage_mid_run({});
}

TEST(WriteBehind, GracefulShutdownFlushesEverythingAndThenRefusesWrites) {
    World w(deterministic, {.latency = std::chrono::milliseconds(20)});
    WriteBehind writes(w.engine, w.tier, w.db,
                       {.name = "wb", .batch_size = 8, .flush_interval = std::chrono::hours(1)});
    WriteBehindReport report;
    std::string refused;
    run_task(w.engine, [&]() -> Task<> {
        for (int i = 0; i < 50; ++i) co_await writes.write(key_of(i), "v" + std::to_string(i));
        report = co_await writes.shutdown();
        try {
            co_await writes.write("late", "x");
        } catch (const WriteBehindClosed& e) {
            refused = e.what();
        }
        EXPECT_THROW(co_await writes.shutdown(), rt::UsageError);
        EXPECT_EQ(co_await writes.flush(), Status::ok);  // nothing is left to wait for
    });
    EXPECT_EQ(report.status, Status::ok);
    EXPECT_EQ(report.left, 0u);
    EXPECT_TRUE(report.unflushed.empty());
    for (int i = 0; i < 50; ++i) EXPECT_EQ(w.db.get_sync(key_of(i)), "v" + std::to_string(i));
    EXPECT_EQ(refused, "write-behind 'wb' is shut down: the write of 'late' was not accepted");
    EXPECT_EQ(w.cache.peek("late"), std::nullopt);
    EXPECT_EQ(w.db.get_sync("late"), std::nullopt);
    EXPECT_EQ(writes.stats().acknowledged, 50u);
    EXPECT_TRUE(eventually([&] { return tasks_named(w.engine, "wb") == 0; }));  // flusher ended
}

TEST(WriteBehind, GracefulShutdownWaitsOutAnOutage) {
    World w(deterministic);
    WriteBehind writes(w.engine, w.tier, w.db, {.name = "wb", .batch_size = 4});
    w.db.set_available(false);
    WriteBehindReport report;
    run_task(w.engine, [&]() -> Task<> {
        for (int i = 0; i < 20; ++i) co_await writes.write(key_of(i), "v");
        // The origin comes back in 3 s; shutdown keeps retrying until then.
        w.engine.go("repair", [&]() -> Task<> {
            co_await rt::sleep_for(std::chrono::seconds(3));
            w.db.set_available(true);
        });
        report = co_await writes.shutdown();
    });
    EXPECT_EQ(report.status, Status::ok);
    EXPECT_EQ(report.left, 0u);
    EXPECT_EQ(w.db.count_sync(), 20u);
    EXPECT_GT(writes.stats().retries, 0u);
}

TEST(WriteBehind, ShutdownAgainstADeadOriginIsBoundedAndHandsBackWhatIsLeft) {
    World w(deterministic);
    WriteBehind writes(w.engine, w.tier, w.db, {.name = "wb", .batch_size = 4});
    w.db.set_available(false);
    WriteBehindReport report;
    Status flushed = Status::ok;
    run_task(w.engine, [&]() -> Task<> {
        for (int i = 0; i < 10; ++i) co_await writes.write(key_of(i), "old");
        co_await writes.write(key_of(3), "new");  // coalesces: one value per key is left
        auto [ctx, stop] = rt::with_timeout(Context::background(), std::chrono::seconds(2));
        flushed = co_await writes.flush(ctx);
        auto [ctx2, stop2] = rt::with_timeout(Context::background(), std::chrono::seconds(2));
        report = co_await writes.shutdown(true, ctx2);
    });
    EXPECT_EQ(flushed, Status::deadline_exceeded);
    EXPECT_EQ(report.status, Status::deadline_exceeded);
    EXPECT_EQ(report.left, 10u);
    ASSERT_EQ(report.unflushed.size(), 10u);
    for (int i = 0; i < 10; ++i) {  // oldest first, each key with its last value
        EXPECT_EQ(report.unflushed[i].first, key_of(i));
        EXPECT_EQ(report.unflushed[i].second, i == 3 ? "new" : "old");
    }
    EXPECT_EQ(w.db.count_sync(), 0u);
    WriteBehindStats s = writes.stats();
    EXPECT_EQ(s.pending, 10u);
    EXPECT_GT(s.origin_failures, 1u);
    expect_accounted(s);
    EXPECT_TRUE(eventually([&] { return tasks_named(w.engine, "wb") == 0; }));
}

TEST(WriteBehind, CancelStopsAtOnceAndReportsWhatWasLeft) {
    World w(deterministic);
    WriteBehind writes(w.engine, w.tier, w.db,
                       {.name = "wb", .flush_interval = std::chrono::hours(1)});
    WriteBehindReport report;
    run_task(w.engine, [&]() -> Task<> {
        for (int i = 0; i < 7; ++i) co_await writes.write(key_of(i), "v");
        report = co_await writes.shutdown(false);
    });
    EXPECT_EQ(report.status, Status::cancelled);
    EXPECT_EQ(report.left, 7u);
    EXPECT_EQ(report.unflushed.size(), 7u);
    EXPECT_EQ(w.db.count_sync(), 0u);
    EXPECT_EQ(w.cache.peek(key_of(0)), "v");  // the cache had them all along
    EXPECT_TRUE(eventually([&] { return tasks_named(w.engine, "wb") == 0; }));
}

TEST(WriteBehind, AFullQueueParksWritersUntilTheOriginTakesBatchesAgain) {
    World w;  // worker threads, real clock
    WriteBehind writes(w.engine, w.tier, w.db,
                       {.name = "wb",
                        .queue_capacity = 4,
                        .batch_size = 2,
                        .flush_interval = {},
                        .retry_initial = std::chrono::milliseconds(1),
                        .retry_max = std::chrono::milliseconds(5)});
    w.db.set_available(false);
    std::atomic<int> returned{0};
    auto writer = w.engine.spawn("writer", [&]() -> Task<> {
        for (int i = 0; i < 10; ++i) {
            co_await writes.write(key_of(i), "v" + std::to_string(i));
            ++returned;
        }
    });
    // Four writes fill the queue; the fifth parks. The origin is down, so nothing can make
    // room: the state below cannot change until it comes back.
    ASSERT_TRUE(eventually([&] { return writes.stats().parked_writers == 1; }));
    EXPECT_EQ(returned.load(), 4);
    EXPECT_EQ(writes.stats().pending, 4u);
    EXPECT_FALSE(writer.done());
    // The flusher keeps trying (its first attempt may still be under way when the writer
    // parks), and still nobody gets room.
    ASSERT_TRUE(eventually([&] { return writes.stats().origin_failures >= 2; }));
    EXPECT_EQ(returned.load(), 4);
    EXPECT_EQ(writes.stats().parked_writers, 1u);
    // A write of a key already waiting coalesces: it needs no room and does not park.
    run_task(w.engine, [&]() -> Task<> { co_await writes.write(key_of(2), "v2 again"); });
    EXPECT_EQ(writes.stats().coalesced, 1u);
    EXPECT_EQ(returned.load(), 4);

    w.db.set_available(true);
    writer.wait();
    EXPECT_EQ(returned.load(), 10);
    run_task(w.engine, [&]() -> Task<> { EXPECT_EQ(co_await writes.flush(), Status::ok); });
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(w.db.get_sync(key_of(i)), i == 2 ? "v2 again" : "v" + std::to_string(i));
    WriteBehindStats s = writes.stats();
    EXPECT_LE(s.max_pending, 4u);
    EXPECT_EQ(s.parked_writers, 0u);
    expect_accounted(s);
}

TEST(WriteBehind, ShutdownReleasesAParkedWriterWithoutAcknowledgingIt) {
    World w;
    WriteBehind writes(w.engine, w.tier, w.db,
                       {.name = "wb", .queue_capacity = 1, .flush_interval = {}});
    w.db.set_available(false);
    std::string refused;
    auto writer = w.engine.spawn("writer", [&]() -> Task<> {
        co_await writes.write("a", "1");
        try {
            co_await writes.write("b", "2");  // parks: the queue holds "a"
        } catch (const WriteBehindClosed& e) {
            refused = e.what();
        }
    });
    ASSERT_TRUE(eventually([&] { return writes.stats().parked_writers == 1; }));
    WriteBehindReport report;
    run_task(w.engine, [&]() -> Task<> { report = co_await writes.shutdown(false); });
    writer.wait();
    EXPECT_EQ(refused, "write-behind 'wb' is shut down: the write of 'b' was not accepted");
    EXPECT_EQ(w.cache.peek("b"), std::nullopt);
    ASSERT_EQ(report.unflushed.size(), 1u);
    EXPECT_EQ(report.unflushed[0], (KeyValue{"a", "1"}));
    EXPECT_EQ(writes.stats().acknowledged, 1u);
}

TEST(WriteBehind, DestroyingItStopsTheFlusherAndReleasesWritersWithoutHanging) {
    World w;
    std::string refused;
    rt::JoinHandle writer;
    {
        WriteBehind writes(w.engine, w.tier, w.db,
                           {.name = "wb", .queue_capacity = 2, .flush_interval = {}});
        w.db.set_available(false);
        writer = w.engine.spawn("writer", [&]() -> Task<> {
            try {
                for (int i = 0; i < 10; ++i) co_await writes.write(key_of(i), "v");
            } catch (const WriteBehindClosed& e) {
                refused = e.what();
            }
        });
        ASSERT_TRUE(eventually([&] { return writes.stats().parked_writers == 1; }));
    }  // the origin is down for good: a graceful flush would never end
    writer.wait();
    EXPECT_EQ(refused, "write-behind 'wb' is shut down: the write of 'k2' was not accepted");
    EXPECT_TRUE(eventually([&] { return tasks_named(w.engine, "wb") == 0; }));
}

TEST(WriteBehind, ConcurrentWritersLoseNothingAndTheLastWriteOfEachKeyWins) {
    // 20 tasks x 200 writes over 50 keys on worker threads, through a queue small enough to
    // park writers, against an origin that fails a fifth of its batches. A writer holds its
    // key's lock (a task mutex) across write() and the note of what it wrote, so "the last
    // acknowledged write of a key" is well defined while tasks still race on each key.
    World w({}, {.error_rate = 0.2, .seed = 7});
    WriteBehind writes(w.engine, w.tier, w.db,
                       {.name = "wb",
                        .queue_capacity = 16,
                        .batch_size = 8,
                        .flush_interval = std::chrono::milliseconds(1),
                        .retry_initial = std::chrono::microseconds(100),
                        .retry_max = std::chrono::milliseconds(2)});
    constexpr int tasks = 20, per_task = 200, keys = 50;
    struct Key {
        rt::Mutex mu;
        std::string last;  // guarded by mu
    };
    std::vector<std::unique_ptr<Key>> state;
    for (int k = 0; k < keys; ++k) state.push_back(std::make_unique<Key>());
    std::vector<rt::JoinHandle> handles;
    for (int t = 0; t < tasks; ++t) {
        handles.push_back(w.engine.spawn("writer", [&, t]() -> Task<> {
            rt::Rng rng(uint64_t(t) + 1);
            for (int i = 0; i < per_task; ++i) {
                const int k = int(rng.below(keys));
                const std::string value = std::to_string(t) + ":" + std::to_string(i);
                Key& key = *state[k];
                auto guard = co_await key.mu.scoped();
                co_await writes.write(key_of(k), value);
                key.last = value;
            }
        }));
    }
    for (auto& h : handles) h.wait();
    Status flushed = Status::cancelled;
    run_task(w.engine, [&]() -> Task<> { flushed = co_await writes.flush(); });
    ASSERT_EQ(flushed, Status::ok);
    for (int k = 0; k < keys; ++k) {
        if (state[k]->last.empty()) continue;  // never drawn
        EXPECT_EQ(w.db.get_sync(key_of(k)), state[k]->last) << key_of(k);
        EXPECT_EQ(w.cache.peek(key_of(k)).value_or(state[k]->last), state[k]->last) << key_of(k);
    }
    WriteBehindStats s = writes.stats();
    EXPECT_EQ(s.acknowledged, uint64_t(tasks * per_task));
    EXPECT_LE(s.max_pending, 16u);
    EXPECT_LE(s.largest_batch, 8u);
    EXPECT_GT(s.origin_failures, 0u);
    expect_accounted(s);
}

TEST(WriteBehind, AnOlderWriteWhoseCacheSetLandsLastDoesNotOutliveTheNewerValue) {
    // A queues its value, B queues a newer one (coalescing A's) and sets the cache; then A's
    // slow set lands. Left alone the cache would keep A while the origin gets B: A must see it
    // is no longer the newest and invalidate after its set. The clock is paused while B runs,
    // so A's set cannot land first whatever the threads do.
    World w;
    DelayedTier tier(w.tier, [](const std::string& value) {
        return value == "A" ? rt::Duration(std::chrono::milliseconds(10)) : rt::Duration::zero();
    });
    WriteBehind writes(w.engine, tier, w.db, {.name = "wb"});
    w.engine.pause();
    auto a = w.engine.spawn("writer A", [&]() -> Task<> { co_await writes.write("k", "A"); });
    ASSERT_TRUE(eventually([&] { return tier.delayed_sets.load() == 1; }));  // A is in its set
    run_task(w.engine, [&]() -> Task<> { co_await writes.write("k", "B"); });
    EXPECT_EQ(w.cache.peek("k"), "B");
    w.engine.resume();
    a.wait();
    EXPECT_EQ(w.cache.peek("k"), std::nullopt);
    run_task(w.engine, [&]() -> Task<> { EXPECT_EQ(co_await writes.flush(), Status::ok); });
    EXPECT_EQ(w.db.get_sync("k"), "B");
    EXPECT_EQ(writes.stats().coalesced, 1u);
}

TEST(WriteBehind, RacingWritersOfOneKeyLeaveTheCacheAgreeingWithTheOrigin) {
    // No lock around the writes this time: which write is "last" is up to the race, but the
    // cache must not keep a value the origin did not end with.
    World w;
    WriteBehind writes(w.engine, w.tier, w.db,
                       {.name = "wb", .flush_interval = std::chrono::microseconds(200)});
    constexpr int tasks = 8, per_task = 300, keys = 4;
    std::vector<rt::JoinHandle> handles;
    for (int t = 0; t < tasks; ++t) {
        handles.push_back(w.engine.spawn("writer", [&, t]() -> Task<> {
            for (int i = 0; i < per_task; ++i) {
                co_await writes.write(key_of(i % keys),
                                      std::to_string(t) + ":" + std::to_string(i));
                if (i % 16 == 0) co_await rt::yield_now();
            }
        }));
    }
    for (auto& h : handles) h.wait();
    run_task(w.engine, [&]() -> Task<> { EXPECT_EQ(co_await writes.flush(), Status::ok); });
    for (int k = 0; k < keys; ++k) {
        auto in_origin = w.db.get_sync(key_of(k));
        ASSERT_TRUE(in_origin.has_value());
        EXPECT_EQ(w.cache.peek(key_of(k)).value_or(*in_origin), *in_origin) << key_of(k);
    }
    expect_accounted(writes.stats());
}

TEST(WriteBehind, OptionsOutOfRangeAreRefused) {
    World w;
    auto make = [&](WriteBehindOptions o) { WriteBehind writes(w.engine, w.tier, w.db, o); };
    EXPECT_THROW(make({.queue_capacity = 0}), rt::InvalidArgument);
    EXPECT_THROW(make({.batch_size = 0}), rt::InvalidArgument);
    EXPECT_THROW(make({.flush_interval = std::chrono::milliseconds(-1)}), rt::InvalidArgument);
    EXPECT_THROW(make({.retry_initial = {}}), rt::InvalidArgument);
    try {
        make({.name = "wb",
              .retry_initial = std::chrono::milliseconds(10),
              .retry_max = std::chrono::milliseconds(5)});
        ADD_FAILURE() << "retry_max below retry_initial was accepted";
    } catch (const rt::InvalidArgument& e) {
        EXPECT_STREQ(e.what(),
                     "write-behind 'wb' retry_max: 5ms is out of range (allowed: retry_initial or "
                     "more)");
    }
}

}  // namespace
}  // namespace cs::test
