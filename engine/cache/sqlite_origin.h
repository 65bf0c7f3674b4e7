#pragma once
// SqliteOrigin: a real database as the origin behind the caches. A SQLite file (a fresh temp
// file by default, deleted with the origin, or a path the caller gives, kept) with one key/value
// table. Every query runs on the engine's blocking pool while the calling task parks, and is
// counted. For the classroom, latency and an error rate can be injected, and an outage switched
// on, while the scenario runs.
//
//   SqliteOrigin db(engine, {.name = "users", .latency = 20ms});
//   db.seed(1000, [](uint64_t i) { return KeyValue{"user:" + std::to_string(i), "name"}; });
//   std::optional<std::string> v = co_await db.load("user:7");   // from a task
//   db.set_available(false);                                     // the next queries fail
//
// Injected latency is a sleep on the engine's clock in the calling task before the query, not a
// sleep on the pool thread: pause, slow motion, single-stepping and deterministic (virtual) time
// apply to it, and it holds no pool thread. A query that fails (outage, injected error) still
// takes its latency, as a timeout would.
//
// The queries share one connection, serialized behind a mutex: SQLite writes one transaction at
// a time anyway, and a query on the key/value table takes microseconds (10,000 queries from 50
// tasks at once take about 0.2 s in a debug build, pool hand-off included), so a pool of
// connections would add lock-retry paths for no gain a lesson could show.
//
// Thread-safe. The origin must outlive every call on it. SQLite stays private to the engine:
// nothing of it shows here.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cache/origin.h"
#include "cache/origin_stats.h"
#include "patterns/latency_histogram.h"
#include "runtime/clock.h"
#include "runtime/task.h"

namespace cs {
class Engine;
}

namespace cs::cache {

struct SqliteOriginOptions {
    std::string name = "sqlite";  // names the origin in its errors
    std::string path{};  // database file, created if missing and kept; empty: a fresh temp file,
                         // deleted when the origin is destroyed
    rt::Duration latency{0};  // engine-clock time added to every query; 0: none
    double error_rate = 0;    // 0 .. 1: the chance each query fails with OriginError; 0: never
    uint64_t seed = 1;        // seeds the injected-error draws; any value, 0 included
    std::chrono::milliseconds busy_timeout{5000};  // how long a query waits for a lock another
                                                   // connection holds; 0: fails at once
};

class SqliteOrigin final : public Origin {
  public:
    // Opens (or creates) the database and its table `kv(key TEXT PRIMARY KEY, value TEXT NOT
    // NULL)` in WAL mode. Throws OriginError naming the path and SQLite's reason if the file
    // cannot be opened or written, rt::InvalidArgument for an option out of range.
    SqliteOrigin(Engine& engine, SqliteOriginOptions options = {});
    ~SqliteOrigin() override;
    SqliteOrigin(const SqliteOrigin&) = delete;
    SqliteOrigin& operator=(const SqliteOrigin&) = delete;

    // ---- queries (from a task; each counted, delayed, and perhaps failed as configured) ----
    rt::Task<std::optional<std::string>> load(std::string key) override;
    rt::Task<void> store(std::string key, std::string value) override;
    // One transaction (BEGIN IMMEDIATE ... COMMIT); on any failure it is rolled back and the
    // call throws, having stored nothing. A key written twice keeps its last value.
    rt::Task<void> store_batch(std::vector<KeyValue> writes) override;
    rt::Task<bool> erase(std::string key) override;

    // ---- live knobs (any thread; the next query sees them) ----
    void set_latency(rt::Duration latency);  // rt::InvalidArgument if negative
    void set_error_rate(double rate);        // rt::InvalidArgument outside 0 .. 1
    // While unavailable every query throws OriginError("origin 'NAME' is unavailable").
    void set_available(bool available) noexcept;
    rt::Duration latency() const noexcept;
    double error_rate() const noexcept;
    bool available() const noexcept;

    // ---- setup and inspection (synchronous, on the calling thread) ----
    // For filling the table before a run and checking it after: not counted, no latency, no
    // injected errors, work during an outage. They block the thread: call them from a test or
    // the controller, not from a task. Throw OriginError on a database error.
    //
    // Writes rows 0 .. n_keys-1 as row(i) gives them, in one transaction.
    void seed(uint64_t n_keys, const std::function<KeyValue(uint64_t i)>& row);
    void put_sync(const std::vector<KeyValue>& rows);  // in one transaction
    std::optional<std::string> get_sync(const std::string& key);
    uint64_t count_sync();  // rows in the table

    OriginStats stats() const;
    const std::string& name() const noexcept { return m_options.name; }
    // The database file: the given path, or the temp file's.
    const std::string& path() const noexcept { return m_path; }

  private:
    struct Db;  // the connection and its prepared statements
    struct Counters {
        std::atomic<uint64_t> loads{0}, stores{0}, batches{0}, batch_rows{0}, erases{0},
            failures{0};
        std::atomic<int64_t> total_ns{0};
    };

    // Counts the call in `counter`, sleeps the latency, fails it if unavailable or by the
    // error rate, else runs body on the blocking pool; times it either way.
    rt::Task<void> query(std::atomic<uint64_t>& counter, std::string what,
                         std::function<void(Db&)> body);
    void fail_if_injected(const std::string& what);

    Engine& m_engine;
    const SqliteOriginOptions m_options;
    std::string m_path;
    bool m_owns_file = false;  // a temp file: deleted with the origin
    std::unique_ptr<Db> m_db;

    std::atomic<int64_t> m_latency_ns;
    std::atomic<double> m_error_rate;
    std::atomic<bool> m_available{true};
    std::atomic<uint64_t> m_draws{0};  // injected-error draws so far

    Counters m_counters;
    patterns::LatencyHistogram m_latency_histogram;
};

}  // namespace cs::cache
