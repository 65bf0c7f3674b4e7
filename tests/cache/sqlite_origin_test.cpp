// SqliteOrigin against real SQLite files (a temp file, or one in a temp directory). The tests
// that need another connection to the same file (a trigger that refuses a row, a lock held by
// someone else) open one with SQLite directly, as another program would.
//
// Batches are built in a named vector before `co_await db.store_batch(batch)`: GCC 12 rejects a
// braced list of pairs of string literals inside a co_await expression ("array used as
// initializer").
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../engine/test_support.h"
#include "cache/sqlite_origin.h"
#include "runtime/errors.h"

namespace cs::test {
namespace {

using cache::KeyValue;
using cache::OriginError;
using cache::OriginStats;
using cache::SqliteOrigin;
using cache::SqliteOriginOptions;
namespace fs = std::filesystem;

// A fresh directory under the temp directory, removed with everything in it.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "chanscope-test-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

// A second connection to the origin's file, as another program would open it.
struct OtherConnection {
    sqlite3* db = nullptr;
    explicit OtherConnection(const std::string& path) {
        if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("open failed");
    }
    ~OtherConnection() { sqlite3_close(db); }
    void exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            std::string what = error ? error : "?";
            sqlite3_free(error);
            throw std::runtime_error(sql + ": " + what);
        }
    }
};

// Whether a task named `name` is parked on `reason` right now.
bool parked_on(Engine& engine, const std::string& name, rt::WaitReason reason) {
    auto snapshot = engine.snapshot();
    for (const auto& t : snapshot->tasks)
        if (t.name == name && t.state == rt::TaskState::blocked && t.reason == reason) return true;
    return false;
}

// The message of the OriginError that `call` throws ("" if it throws none).
template <class F>
std::string origin_error_of(F call) {
    try {
        call();
    } catch (const OriginError& e) {
        return e.what();
    }
    return "";
}

TEST(SqliteOrigin, LoadsWhatWasStoredAndErases) {
    Engine engine;
    SqliteOrigin db(engine, {.name = "users"});
    run_task(engine, [&]() -> Task<> {
        EXPECT_EQ(co_await db.load("user:1"), std::nullopt);
        co_await db.store("user:1", "Ada");
        EXPECT_EQ(co_await db.load("user:1"), "Ada");
        co_await db.store("user:1", "Ada Lovelace");  // replaces
        EXPECT_EQ(co_await db.load("user:1"), "Ada Lovelace");

        std::vector<KeyValue> batch{
            {"user:2", "Grace"}, {"user:3", "Edsger"}, {"user:2", "Barbara"}};
        co_await db.store_batch(batch);
        EXPECT_EQ(co_await db.load("user:2"), "Barbara");  // the last write of a key wins
        EXPECT_EQ(co_await db.load("user:3"), "Edsger");

        // Values are bytes: an empty one, and one with a NUL inside, come back as they went.
        const std::string bytes("a\0b", 3);
        co_await db.store("empty", "");
        co_await db.store("bytes", bytes);
        EXPECT_EQ(co_await db.load("empty"), "");
        EXPECT_EQ(co_await db.load("bytes"), bytes);

        EXPECT_TRUE(co_await db.erase("user:3"));
        EXPECT_FALSE(co_await db.erase("user:3"));
        EXPECT_EQ(co_await db.load("user:3"), std::nullopt);
    });
    EXPECT_EQ(db.count_sync(), 4u);  // user:1, user:2, empty, bytes
    EXPECT_EQ(db.get_sync("user:1"), "Ada Lovelace");
}

TEST(SqliteOrigin, CountsEveryQueryExactly) {
    Engine engine;
    SqliteOrigin db(engine);
    run_task(engine, [&]() -> Task<> {
        for (int i = 0; i < 7; ++i) co_await db.store("k" + std::to_string(i), "v");
        for (int i = 0; i < 11; ++i) (void)co_await db.load("k" + std::to_string(i % 9));
        std::vector<KeyValue> two{{"a", "1"}, {"b", "2"}},
            three{{"c", "3"}, {"d", "4"}, {"e", "5"}};
        co_await db.store_batch(two);
        co_await db.store_batch(three);
        co_await db.store_batch({});
        for (int i = 0; i < 3; ++i) (void)co_await db.erase("k" + std::to_string(i));
        db.set_available(false);
        EXPECT_THROW(co_await db.load("a"), OriginError);
        std::vector<KeyValue> one{{"f", "6"}};
        EXPECT_THROW(co_await db.store_batch(one), OriginError);
        db.set_available(true);
    });
    OriginStats s = db.stats();
    EXPECT_EQ(s.stores, 7u);
    EXPECT_EQ(s.loads, 12u);
    EXPECT_EQ(s.batches, 4u);
    EXPECT_EQ(s.batch_rows, 6u);
    EXPECT_EQ(s.erases, 3u);
    EXPECT_EQ(s.failures, 2u);
    EXPECT_EQ(s.queries(), 26u);
    EXPECT_EQ(s.latency.count, 26u);
    EXPECT_GT(s.total_query_time.count(), 0);

    // The setup helpers are not queries of the run: they leave the stats alone.
    db.seed(100, [](uint64_t i) { return KeyValue{"seeded:" + std::to_string(i), "x"}; });
    db.put_sync({{"put", "y"}});
    EXPECT_EQ(db.get_sync("seeded:99"), "x");
    EXPECT_EQ(db.count_sync(), 4u + 5u + 100u + 1u);
    EXPECT_EQ(db.stats().queries(), 26u);
}

TEST(SqliteOrigin, ABatchWithARowTheDatabaseRefusesStoresNothing) {
    Engine engine;
    SqliteOrigin db(engine, {.name = "orders"});
    db.put_sync({{"a", "old"}});
    // Another program installs a rule that refuses one key: the third row of the batch fails
    // inside SQLite, after two rows were written in the transaction.
    OtherConnection other(db.path());
    other.exec(
        "CREATE TRIGGER refuse BEFORE INSERT ON kv WHEN NEW.key = 'poison' "
        "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END");
    std::string message;
    run_task(engine, [&]() -> Task<> {
        try {
            std::vector<KeyValue> batch{{"a", "new"}, {"b", "2"}, {"poison", "3"}, {"c", "4"}};
            co_await db.store_batch(batch);
        } catch (const OriginError& e) {
            message = e.what();
        }
    });
    EXPECT_NE(message.find("poisoned row"), std::string::npos) << message;
    EXPECT_NE(message.find("origin 'orders'"), std::string::npos) << message;
    EXPECT_EQ(db.get_sync("a"), "old");
    EXPECT_EQ(db.get_sync("b"), std::nullopt);
    EXPECT_EQ(db.count_sync(), 1u);
    EXPECT_EQ(db.stats().failures, 1u);

    // The rollback left no transaction open: the next batch commits.
    run_task(engine, [&]() -> Task<> {
        std::vector<KeyValue> batch{{"a", "new"}, {"b", "2"}};
        co_await db.store_batch(batch);
    });
    EXPECT_EQ(db.get_sync("a"), "new");
    EXPECT_EQ(db.count_sync(), 2u);
}

TEST(SqliteOrigin, ABatchThatFailsByInjectionOrOutageStoresNothing) {
    Engine engine;
    SqliteOrigin db(engine, {.error_rate = 1.0});
    run_task(engine, [&]() -> Task<> {
        std::vector<KeyValue> batch{{"a", "1"}, {"b", "2"}};
        EXPECT_THROW(co_await db.store_batch(batch), OriginError);
        db.set_error_rate(0);
        db.set_available(false);
        EXPECT_THROW(co_await db.store_batch(batch), OriginError);
    });
    EXPECT_EQ(db.count_sync(), 0u);
    EXPECT_EQ(db.stats().failures, 2u);
}

TEST(SqliteOrigin, ErrorRateOneFailsEveryQueryAndZeroNone) {
    Engine engine;
    SqliteOrigin db(engine, {.name = "db", .error_rate = 1.0});
    std::string message;
    run_task(engine, [&]() -> Task<> {
        try {
            (void)co_await db.load("user:1");
        } catch (const OriginError& e) {
            message = e.what();
        }
        for (int i = 0; i < 50; ++i) {
            EXPECT_THROW(co_await db.store("k", "v"), OriginError);
            EXPECT_THROW(co_await db.erase("k"), OriginError);
        }
    });
    EXPECT_NE(message.find("injected error (error_rate 1)"), std::string::npos) << message;
    EXPECT_NE(message.find("load 'user:1'"), std::string::npos) << message;
    EXPECT_EQ(db.stats().failures, 101u);
    EXPECT_EQ(db.count_sync(), 0u);

    db.set_error_rate(0);
    run_task(engine, [&]() -> Task<> {
        for (int i = 0; i < 500; ++i) co_await db.store("k" + std::to_string(i), "v");
    });
    EXPECT_EQ(db.stats().failures, 101u);
    EXPECT_EQ(db.count_sync(), 500u);
}

TEST(SqliteOrigin, AnErrorRateBetweenFailsAboutThatShareAndSaysSo) {
    Engine engine;
    SqliteOrigin db(engine, {.name = "db", .error_rate = 0.2, .seed = 42});
    int failed = 0;
    std::string message;
    run_task(engine, [&]() -> Task<> {
        for (int i = 0; i < 2000; ++i) {
            try {
                co_await db.store("k", "v");
            } catch (const OriginError& e) {
                ++failed;
                message = e.what();
            }
        }
    });
    // 400 expected; the standard deviation is about 18, and the draws are seeded.
    EXPECT_GT(failed, 300);
    EXPECT_LT(failed, 500);
    EXPECT_EQ(db.stats().failures, uint64_t(failed));
    EXPECT_NE(message.find("injected error (error_rate 0.2)"), std::string::npos) << message;
}

TEST(SqliteOrigin, WhileUnavailableEveryQueryFailsAndNothingChanges) {
    Engine engine;
    SqliteOrigin db(engine, {.name = "users"});
    db.put_sync({{"user:1", "Ada"}});
    db.set_available(false);
    EXPECT_FALSE(db.available());
    std::vector<std::string> messages;
    run_task(engine, [&]() -> Task<> {
        auto expect_outage = [&](auto call) -> Task<> {
            try {
                co_await call();
                ADD_FAILURE() << "a query succeeded during the outage";
            } catch (const OriginError& e) {
                messages.push_back(e.what());
            }
        };
        co_await expect_outage([&]() -> Task<> { (void)co_await db.load("user:1"); });
        co_await expect_outage([&]() -> Task<> { co_await db.store("user:1", "Grace"); });
        co_await expect_outage([&]() -> Task<> {
            std::vector<KeyValue> batch{{"user:2", "B"}};
            co_await db.store_batch(batch);
        });
        co_await expect_outage([&]() -> Task<> { (void)co_await db.erase("user:1"); });
    });
    ASSERT_EQ(messages.size(), 4u);
    for (const auto& m : messages) EXPECT_EQ(m, "origin 'users' is unavailable");
    EXPECT_EQ(db.get_sync("user:1"), "Ada");
    EXPECT_EQ(db.count_sync(), 1u);

    db.set_available(true);
    run_task(engine, [&]() -> Task<> {
        EXPECT_EQ(co_await db.load("user:1"), "Ada");
        co_await db.store("user:1", "Grace");
    });
    EXPECT_EQ(db.get_sync("user:1"), "Grace");
    EXPECT_EQ(db.stats().failures, 4u);
}

TEST(SqliteOrigin, InjectedLatencyIsEngineClockTime) {
    // Virtual time: the clock moves only by timers, so a query takes exactly its latency.
    Engine engine(EngineOptions{.deterministic = true});
    SqliteOrigin db(engine, {.latency = 50ms});
    rt::Duration first{0}, second{0};
    run_task(engine, [&]() -> Task<> {
        auto t0 = engine.clock().now();
        co_await db.store("k", "v");
        first = engine.clock().now() - t0;
        db.set_latency(120ms);  // live: the next query sees it
        t0 = engine.clock().now();
        EXPECT_EQ(co_await db.load("k"), "v");
        second = engine.clock().now() - t0;
    });
    EXPECT_EQ(first, 50ms);
    EXPECT_EQ(second, 120ms);
    OriginStats s = db.stats();
    EXPECT_EQ(s.total_query_time, 170ms);
    EXPECT_EQ(s.latency.max, 120ms);
}

TEST(SqliteOrigin, InjectedLatencyWaitsWhileTheClockIsPausedAndSteps) {
    Engine engine;
    SqliteOrigin db(engine, {.latency = 30ms});
    engine.pause();
    std::atomic<bool> done{false};
    auto h = engine.spawn("query", [&]() -> Task<> {
        co_await db.store("k", "v");
        done = true;
    });
    ASSERT_TRUE(eventually([&] { return parked_on(engine, "query", rt::WaitReason::sleep); }));
    std::this_thread::sleep_for(60ms);  // real time passes; clock time does not
    EXPECT_FALSE(done.load());
    EXPECT_EQ(db.get_sync("k"), std::nullopt);
    ASSERT_TRUE(engine.step().has_value());  // single step: to the end of the latency
    h.wait();
    EXPECT_EQ(db.get_sync("k"), "v");
    EXPECT_GE(db.stats().total_query_time, 30ms);
    engine.resume();
}

TEST(SqliteOrigin, AQueryParksItsTaskAndLeavesTheWorkerFree) {
    // One worker: if the query held it, no other task could run until the query ended.
    Engine engine(EngineOptions{.workers = 1});
    SqliteOrigin db(engine, {.busy_timeout = 60s});
    db.put_sync({{"k", "before"}});
    OtherConnection other(db.path());
    other.exec("BEGIN IMMEDIATE");  // another program holds the write lock
    auto writer = engine.spawn("writer", [&]() -> Task<> { co_await db.store("k", "after"); });
    // The store waits for the lock inside SQLite, on a pool thread; its task is parked on I/O.
    ASSERT_TRUE(eventually([&] {
        return engine.blocking_calls_in_flight() == 1 &&
               parked_on(engine, "writer", rt::WaitReason::io);
    }));
    int ran = 0;
    run_task(engine, [&]() -> Task<> {
        for (int i = 0; i < 100; ++i) {
            co_await rt::yield_now();
            ++ran;
        }
    });
    EXPECT_EQ(ran, 100);
    EXPECT_EQ(engine.blocking_calls_in_flight(), 1u);  // still waiting for the lock
    other.exec("COMMIT");
    writer.wait();
    EXPECT_EQ(db.get_sync("k"), "after");
}

TEST(SqliteOrigin, ALockHeldElsewhereFailsAtOnceWithoutABusyTimeout) {
    Engine engine;
    SqliteOrigin db(engine, {.name = "db", .busy_timeout = 0ms});
    db.put_sync({{"k", "v"}});
    OtherConnection other(db.path());
    other.exec("BEGIN IMMEDIATE");
    std::string message;
    run_task(engine, [&]() -> Task<> {
        try {
            co_await db.store("k", "w");
        } catch (const OriginError& e) {
            message = e.what();
        }
        EXPECT_EQ(co_await db.load("k"), "v");  // WAL: reading does not need the write lock
    });
    EXPECT_NE(message.find("database is locked"), std::string::npos) << message;
    EXPECT_NE(message.find("origin 'db': store 'k'"), std::string::npos) << message;
    other.exec("COMMIT");
    run_task(engine, [&]() -> Task<> { co_await db.store("k", "w"); });
    EXPECT_EQ(db.get_sync("k"), "w");
}

TEST(SqliteOrigin, APathThatCannotBeUsedIsRefusedWithTheReasonAndWhatToDo) {
    Engine engine;
    TempDir dir;
    std::ofstream(dir.file("notes.txt"))
        << "not a database, and long enough to show it: " << std::string(200, 'x') << "\n";
    for (const std::string& path : {std::string("/proc/nope/db.sqlite"),
                                    dir.file("notes.txt") + "/db.sqlite",  // under a file
                                    dir.file("notes.txt")}) {
        std::string message =
            origin_error_of([&] { SqliteOrigin db(engine, {.name = "db", .path = path}); });
        EXPECT_NE(message.find("origin 'db': cannot use '" + path + "'"), std::string::npos)
            << message;
        EXPECT_NE(message.find("choose a writable path"), std::string::npos) << message;
        EXPECT_NE(message.find("leave the path empty for a temp file"), std::string::npos)
            << message;
    }
    std::string message = origin_error_of(
        [&] { SqliteOrigin db(engine, {.name = "db", .path = dir.file("notes.txt")}); });
    EXPECT_NE(message.find("file is not a database"), std::string::npos) << message;
}

TEST(SqliteOrigin, OptionsOutOfRangeAreRefused) {
    Engine engine;
    EXPECT_THROW(SqliteOrigin(engine, {.error_rate = 1.5}), rt::InvalidArgument);
    EXPECT_THROW(SqliteOrigin(engine, {.error_rate = -0.1}), rt::InvalidArgument);
    EXPECT_THROW(SqliteOrigin(engine, {.error_rate = std::nan("")}), rt::InvalidArgument);
    EXPECT_THROW(SqliteOrigin(engine, {.latency = -1ms}), rt::InvalidArgument);
    EXPECT_THROW(SqliteOrigin(engine, {.busy_timeout = -1ms}), rt::InvalidArgument);
    SqliteOrigin db(engine, {.name = "db"});
    try {
        db.set_error_rate(2);
        ADD_FAILURE() << "error_rate 2 was accepted";
    } catch (const rt::InvalidArgument& e) {
        EXPECT_STREQ(e.what(), "origin 'db' error_rate: 2 is out of range (allowed: 0 .. 1)");
    }
    EXPECT_THROW(db.set_latency(-5ms), rt::InvalidArgument);
    EXPECT_EQ(db.error_rate(), 0.0);
    EXPECT_EQ(db.latency(), 0ms);
}

TEST(SqliteOrigin, AGivenPathKeepsItsDataAcrossOrigins) {
    Engine engine;
    TempDir dir;
    const std::string path = dir.file("origin.sqlite");
    {
        SqliteOrigin db(engine, {.path = path});
        EXPECT_EQ(db.path(), path);
        run_task(engine, [&]() -> Task<> {
            co_await db.store("user:1", "Ada");
            std::vector<KeyValue> batch{{"user:2", "Grace"}, {"user:3", "Edsger"}};
            co_await db.store_batch(batch);
            EXPECT_TRUE(co_await db.erase("user:3"));
        });
    }
    EXPECT_TRUE(fs::exists(path));
    SqliteOrigin again(engine, {.path = path});
    run_task(engine, [&]() -> Task<> {
        EXPECT_EQ(co_await again.load("user:1"), "Ada");
        EXPECT_EQ(co_await again.load("user:2"), "Grace");
        EXPECT_EQ(co_await again.load("user:3"), std::nullopt);
    });
    EXPECT_EQ(again.count_sync(), 2u);
}

TEST(SqliteOrigin, TheTempFileIsRemovedWithTheOrigin) {
    Engine engine;
    std::string path;
    {
        SqliteOrigin db(engine);
        path = db.path();
        ASSERT_FALSE(path.empty());
        EXPECT_TRUE(fs::exists(path));
        run_task(engine, [&]() -> Task<> { co_await db.store("k", "v"); });
        EXPECT_TRUE(fs::exists(path + "-wal"));  // WAL mode
    }
    EXPECT_FALSE(fs::exists(path));
    EXPECT_FALSE(fs::exists(path + "-wal"));
    EXPECT_FALSE(fs::exists(path + "-shm"));
    // Two origins never share a temp file.
    SqliteOrigin a(engine), b(engine);
    EXPECT_NE(a.path(), b.path());
}

TEST(SqliteOrigin, ManyTasksQueryAtOnceAndEveryWriteLands) {
    Engine engine;
    SqliteOrigin db(engine);
    constexpr int tasks = 50, ops = 100;
    std::atomic<int> found{0}, errors{0};
    std::vector<rt::JoinHandle> handles;
    for (int t = 0; t < tasks; ++t) {
        handles.push_back(engine.spawn("client", [&, t]() -> Task<> {
            for (int i = 0; i < ops; ++i) {
                std::string key = "t" + std::to_string(t) + ":" + std::to_string(i);
                try {
                    if (i % 10 == 9) {
                        std::vector<KeyValue> batch{{key, "batched"}, {key + ":extra", "x"}};
                        co_await db.store_batch(batch);
                    } else {
                        co_await db.store(key, std::to_string(t * ops + i));
                    }
                    if (co_await db.load(key)) ++found;
                } catch (const OriginError&) {
                    ++errors;
                }
            }
        }));
    }
    for (auto& h : handles) h.wait();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(found.load(), tasks * ops);
    OriginStats s = db.stats();
    EXPECT_EQ(s.stores, uint64_t(tasks * ops * 9 / 10));
    EXPECT_EQ(s.batches, uint64_t(tasks * ops / 10));
    EXPECT_EQ(s.batch_rows, 2 * s.batches);
    EXPECT_EQ(s.loads, uint64_t(tasks * ops));
    EXPECT_EQ(s.failures, 0u);
    EXPECT_EQ(db.count_sync(), uint64_t(tasks * ops + tasks * ops / 10));
    EXPECT_EQ(db.get_sync("t7:42"), std::to_string(7 * ops + 42));
    EXPECT_EQ(db.get_sync("t7:49"), "batched");
}

}  // namespace
}  // namespace cs::test
