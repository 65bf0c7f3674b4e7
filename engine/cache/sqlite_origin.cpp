#include "cache/sqlite_origin.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "engine.h"
#include "runtime/blocking.h"
#include "runtime/duration_text.h"
#include "runtime/errors.h"
#include "runtime/random.h"
#include "runtime/timers.h"

namespace cs::cache {
namespace {

std::string label_of(const std::string& name) {
    return "origin '" + name + "'";
}

// A key as it appears in an error: quoted, and cut if long.
std::string key_text(const std::string& key) {
    constexpr size_t shown = 64;
    if (key.size() <= shown) return "'" + key + "'";
    return "'" + key.substr(0, shown) + "...'";
}

std::string format_rate(double rate) {
    std::ostringstream out;
    out << rate;
    return out.str();
}

void check_latency(const std::string& name, rt::Duration latency) {
    if (latency.count() < 0)
        throw rt::InvalidArgument(label_of(name) + " latency: " + rt::format_duration(latency) +
                                  " is out of range (allowed: 0 or more)");
}

void check_error_rate(const std::string& name, double rate) {
    if (!(rate >= 0 && rate <= 1))  // NaN too
        throw rt::InvalidArgument(label_of(name) + " error_rate: " + format_rate(rate) +
                                  " is out of range (allowed: 0 .. 1)");
}

// A new empty file in the temp directory, for a database nobody named.
std::string make_temp_file(const std::string& name) {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    std::string pattern = (dir / "chanscope-origin-XXXXXX.sqlite").string();
    int fd = ::mkstemps(pattern.data(), static_cast<int>(std::strlen(".sqlite")));
    if (fd < 0)
        throw OriginError(label_of(name) + ": cannot create a temp file in '" + dir.string() +
                          "': " + std::strerror(errno) +
                          "; set TMPDIR to a writable directory or give a path");
    ::close(fd);
    return pattern;
}

void remove_database_files(const std::string& path) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(path + suffix, ignored);
}

}  // namespace

// ---- Db: the connection, its statements, and the SQL ------------------------------------------
// Every member but the constructor and destructor runs with `mu` held: one thread at a time
// uses the connection.

struct SqliteOrigin::Db {
    Db(const std::string& label, const std::string& path, std::chrono::milliseconds busy_timeout);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    std::optional<std::string> get(const std::string& key, const std::string& what);
    void put(const std::string& key, const std::string& value, const std::string& what);
    bool del(const std::string& key, const std::string& what);
    uint64_t count(const std::string& what);
    // Runs writes() between BEGIN IMMEDIATE and COMMIT; rolls back if anything throws.
    template <class F>
    void in_transaction(const std::string& what, F&& writes);

    std::mutex mu;

  private:
    void close() noexcept;
    [[noreturn]] void fail(const std::string& what) const;
    sqlite3_stmt* prepare(const char* sql);  // throws std::runtime_error (constructor only)
    int step(sqlite3_stmt* s, const std::string& what);  // SQLITE_ROW or SQLITE_DONE, else throws
    void bind(sqlite3_stmt* s, int index, const std::string& text, const std::string& what);

    // Resets a statement when the step using it is over, however it ended.
    struct Reset {
        sqlite3_stmt* s;
        ~Reset() {
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
        }
    };

    const std::string m_label;
    sqlite3* m_conn = nullptr;
    sqlite3_stmt* m_get = nullptr;
    sqlite3_stmt* m_put = nullptr;
    sqlite3_stmt* m_del = nullptr;
    sqlite3_stmt* m_count = nullptr;
    sqlite3_stmt* m_begin = nullptr;
    sqlite3_stmt* m_commit = nullptr;
    sqlite3_stmt* m_rollback = nullptr;
};

SqliteOrigin::Db::Db(const std::string& label, const std::string& path,
                     std::chrono::milliseconds busy_timeout)
    : m_label(label) {
    try {
        int rc = sqlite3_open_v2(path.c_str(), &m_conn,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        if (rc != SQLITE_OK)
            throw std::runtime_error(m_conn ? sqlite3_errmsg(m_conn) : sqlite3_errstr(rc));
        sqlite3_extended_result_codes(m_conn, 1);
        sqlite3_busy_timeout(m_conn, static_cast<int>(busy_timeout.count()));
        // WAL: readers do not wait for the writer. synchronous=NORMAL: safe against corruption,
        // and a commit does not wait for the disk (a power cut may lose the last ones).
        for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                                "CREATE TABLE IF NOT EXISTS kv(key TEXT PRIMARY KEY, value TEXT "
                                "NOT NULL) WITHOUT ROWID"}) {
            if (sqlite3_exec(m_conn, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
                throw std::runtime_error(sqlite3_errmsg(m_conn));
        }
        // Preparing fails too on a file whose kv table has another shape ("no such column").
        m_get = prepare("SELECT value FROM kv WHERE key = ?1");
        m_put = prepare(
            "INSERT INTO kv(key, value) VALUES(?1, ?2) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        m_del = prepare("DELETE FROM kv WHERE key = ?1");
        m_count = prepare("SELECT count(*) FROM kv");
        m_begin = prepare("BEGIN IMMEDIATE");
        m_commit = prepare("COMMIT");
        m_rollback = prepare("ROLLBACK");
    } catch (const std::runtime_error& e) {
        close();  // the destructor does not run for a constructor that throws
        throw OriginError(m_label + ": cannot use '" + path + "' as its database: " + e.what() +
                          "; choose a writable path (a new file or a ChanScope database) or " +
                          "leave the path empty for a temp file");
    }
}

SqliteOrigin::Db::~Db() {
    close();
}

void SqliteOrigin::Db::close() noexcept {
    for (sqlite3_stmt** s : {&m_get, &m_put, &m_del, &m_count, &m_begin, &m_commit, &m_rollback})
        sqlite3_finalize(std::exchange(*s, nullptr));  // no-op for null
    sqlite3_close(std::exchange(m_conn, nullptr));
}

void SqliteOrigin::Db::fail(const std::string& what) const {
    throw OriginError(m_label + ": " + what + ": " + sqlite3_errmsg(m_conn) + " (SQLite code " +
                      std::to_string(sqlite3_extended_errcode(m_conn)) + ")");
}

sqlite3_stmt* SqliteOrigin::Db::prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(m_conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
        throw std::runtime_error(sqlite3_errmsg(m_conn));
    return s;
}

int SqliteOrigin::Db::step(sqlite3_stmt* s, const std::string& what) {
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(what);
    return rc;
}

void SqliteOrigin::Db::bind(sqlite3_stmt* s, int index, const std::string& text,
                            const std::string& what) {
    if (sqlite3_bind_text64(s, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8) !=
        SQLITE_OK)
        fail(what);
}

std::optional<std::string> SqliteOrigin::Db::get(const std::string& key, const std::string& what) {
    Reset reset{m_get};
    bind(m_get, 1, key, what);
    if (step(m_get, what) != SQLITE_ROW) return std::nullopt;
    const auto* text = static_cast<const char*>(sqlite3_column_blob(m_get, 0));
    int bytes = sqlite3_column_bytes(m_get, 0);
    return text ? std::string(text, static_cast<size_t>(bytes)) : std::string();
}

void SqliteOrigin::Db::put(const std::string& key, const std::string& value,
                           const std::string& what) {
    Reset reset{m_put};
    bind(m_put, 1, key, what);
    bind(m_put, 2, value, what);
    step(m_put, what);
}

bool SqliteOrigin::Db::del(const std::string& key, const std::string& what) {
    Reset reset{m_del};
    bind(m_del, 1, key, what);
    step(m_del, what);
    return sqlite3_changes(m_conn) > 0;
}

uint64_t SqliteOrigin::Db::count(const std::string& what) {
    Reset reset{m_count};
    step(m_count, what);
    return static_cast<uint64_t>(sqlite3_column_int64(m_count, 0));
}

template <class F>
void SqliteOrigin::Db::in_transaction(const std::string& what, F&& writes) {
    {
        Reset reset{m_begin};
        step(m_begin, what);
    }
    try {
        writes();
        Reset reset{m_commit};
        step(m_commit, what);
    } catch (...) {
        // A failed COMMIT (SQLITE_BUSY) leaves the transaction open, as does a failed row.
        if (!sqlite3_get_autocommit(m_conn)) {
            Reset reset{m_rollback};
            sqlite3_step(m_rollback);
        }
        throw;
    }
}

// ---- SqliteOrigin -----------------------------------------------------------------------------

SqliteOrigin::SqliteOrigin(Engine& engine, SqliteOriginOptions options)
    : m_engine(engine),
      m_options(std::move(options)),
      m_latency_ns(m_options.latency.count()),
      m_error_rate(m_options.error_rate) {
    check_latency(m_options.name, m_options.latency);
    check_error_rate(m_options.name, m_options.error_rate);
    if (m_options.busy_timeout.count() < 0)
        throw rt::InvalidArgument(label_of(m_options.name) + " busy_timeout: " +
                                  std::to_string(m_options.busy_timeout.count()) +
                                  "ms is out of range (allowed: 0 or more)");
    m_owns_file = m_options.path.empty();
    m_path = m_owns_file ? make_temp_file(m_options.name) : m_options.path;
    try {
        m_db = std::make_unique<Db>(label_of(m_options.name), m_path, m_options.busy_timeout);
    } catch (...) {
        if (m_owns_file) remove_database_files(m_path);
        throw;
    }
}

SqliteOrigin::~SqliteOrigin() {
    m_db.reset();  // closes the connection (checkpointing the WAL) before the files go
    if (m_owns_file) remove_database_files(m_path);
}

rt::Task<void> SqliteOrigin::query(std::atomic<uint64_t>& counter, std::string what,
                                   std::function<void(Db&)> body) {
    counter.fetch_add(1, std::memory_order_relaxed);
    const rt::TimePoint start = m_engine.clock().now();
    std::exception_ptr error;
    try {
        co_await rt::sleep_for(latency());
        if (!available()) throw OriginError(label_of(m_options.name) + " is unavailable");
        fail_if_injected(what);
        co_await rt::blocking([this, &body] {
            std::lock_guard lock(m_db->mu);
            body(*m_db);
        });
    } catch (...) {
        error = std::current_exception();
    }
    const rt::Duration took = m_engine.clock().now() - start;
    m_counters.total_ns.fetch_add(took.count(), std::memory_order_relaxed);
    m_latency_histogram.record(took);
    if (error) {
        m_counters.failures.fetch_add(1, std::memory_order_relaxed);
        std::rethrow_exception(error);
    }
}

void SqliteOrigin::fail_if_injected(const std::string& what) {
    const double rate = error_rate();
    if (rate <= 0) return;
    // One draw per query, from the seed and the draw's number: no shared generator to lock.
    const uint64_t n = m_draws.fetch_add(1, std::memory_order_relaxed);
    rt::Rng draw(m_options.seed ^ (n * 0xD1B54A32D192ED03ull));
    if (draw.unit() < rate)
        throw OriginError(label_of(m_options.name) + ": " + what + ": injected error (error_rate " +
                          format_rate(rate) + ")");
}

rt::Task<std::optional<std::string>> SqliteOrigin::load(std::string key) {
    std::optional<std::string> value;
    std::string what = "load " + key_text(key);
    co_await query(m_counters.loads, what, [&](Db& db) { value = db.get(key, what); });
    co_return value;
}

rt::Task<void> SqliteOrigin::store(std::string key, std::string value) {
    std::string what = "store " + key_text(key);
    co_await query(m_counters.stores, what, [&](Db& db) { db.put(key, value, what); });
}

rt::Task<void> SqliteOrigin::store_batch(std::vector<KeyValue> writes) {
    m_counters.batch_rows.fetch_add(writes.size(), std::memory_order_relaxed);
    std::string what = "store_batch of " + std::to_string(writes.size()) + " rows";
    co_await query(m_counters.batches, what, [&](Db& db) {
        db.in_transaction(what, [&] {
            for (const auto& [key, value] : writes) db.put(key, value, what);
        });
    });
}

rt::Task<bool> SqliteOrigin::erase(std::string key) {
    bool existed = false;
    std::string what = "erase " + key_text(key);
    co_await query(m_counters.erases, what, [&](Db& db) { existed = db.del(key, what); });
    co_return existed;
}

// ---- live knobs -------------------------------------------------------------------------------

void SqliteOrigin::set_latency(rt::Duration latency) {
    check_latency(m_options.name, latency);
    m_latency_ns.store(latency.count(), std::memory_order_relaxed);
}

void SqliteOrigin::set_error_rate(double rate) {
    check_error_rate(m_options.name, rate);
    m_error_rate.store(rate, std::memory_order_relaxed);
}

void SqliteOrigin::set_available(bool available) noexcept {
    m_available.store(available, std::memory_order_relaxed);
}

rt::Duration SqliteOrigin::latency() const noexcept {
    return rt::Duration(m_latency_ns.load(std::memory_order_relaxed));
}

double SqliteOrigin::error_rate() const noexcept {
    return m_error_rate.load(std::memory_order_relaxed);
}

bool SqliteOrigin::available() const noexcept {
    return m_available.load(std::memory_order_relaxed);
}

// ---- setup and inspection ---------------------------------------------------------------------

void SqliteOrigin::seed(uint64_t n_keys, const std::function<KeyValue(uint64_t i)>& row) {
    const std::string what = "seed of " + std::to_string(n_keys) + " rows";
    std::lock_guard lock(m_db->mu);
    m_db->in_transaction(what, [&] {
        for (uint64_t i = 0; i < n_keys; ++i) {
            KeyValue kv = row(i);
            m_db->put(kv.first, kv.second, what);
        }
    });
}

void SqliteOrigin::put_sync(const std::vector<KeyValue>& rows) {
    const std::string what = "put_sync of " + std::to_string(rows.size()) + " rows";
    std::lock_guard lock(m_db->mu);
    m_db->in_transaction(what, [&] {
        for (const auto& [key, value] : rows) m_db->put(key, value, what);
    });
}

std::optional<std::string> SqliteOrigin::get_sync(const std::string& key) {
    std::lock_guard lock(m_db->mu);
    return m_db->get(key, "get_sync " + key_text(key));
}

uint64_t SqliteOrigin::count_sync() {
    std::lock_guard lock(m_db->mu);
    return m_db->count("count_sync");
}

OriginStats SqliteOrigin::stats() const {
    OriginStats s;
    s.loads = m_counters.loads.load(std::memory_order_relaxed);
    s.stores = m_counters.stores.load(std::memory_order_relaxed);
    s.batches = m_counters.batches.load(std::memory_order_relaxed);
    s.batch_rows = m_counters.batch_rows.load(std::memory_order_relaxed);
    s.erases = m_counters.erases.load(std::memory_order_relaxed);
    s.failures = m_counters.failures.load(std::memory_order_relaxed);
    s.total_query_time = rt::Duration(m_counters.total_ns.load(std::memory_order_relaxed));
    s.latency = m_latency_histogram.summary();
    return s;
}

}  // namespace cs::cache
