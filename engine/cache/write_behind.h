#pragma once
// WriteBehind: a write sets the cache and is acknowledged as soon as it is queued; a flusher
// task writes the queue to the origin later, in batches. What a write-behind needs to be
// trusted with writes:
//
//  - coalescing: a newer value for a key still waiting replaces the older one (the origin only
//    ever needed the last), and keeps its place in line;
//  - batching: up to batch_size waiting values per store_batch (one transaction), oldest first;
//    a batch is sent when it is full, when its oldest value has waited flush_interval, or at
//    once when someone needs it (flush(), shutdown, a writer waiting for room);
//  - a bounded queue: at most queue_capacity values waiting; a write of a new key then parks
//    until a batch lands (a write of a key already waiting coalesces and never parks);
//  - retries: a failed batch stays queued and is sent again after a backoff (doubling from
//    retry_initial up to retry_max, with jitter), for as long as it takes. An acknowledged write
//    is never dropped: it reaches the origin, or a shutdown hands it back in its report;
//  - order per key: the origin only ever gets a key's values in the order they were written (a
//    newer write of a key that is in the batch being written waits for the next batch; if that
//    batch fails, the newer value supersedes the one in it);
//  - shutdown: graceful (take no new writes, flush everything, retrying while the origin is
//    down, bounded by a context) or cancel (stop now); the report lists what did not make it.
//
//   WriteBehind writes(engine, tier, db, {.name = "users", .batch_size = 100});
//   co_await writes.write("user:1", "Ada");        // from a task: returns once queued
//   co_await writes.flush();                       // everything so far is in the origin
//   auto report = co_await writes.shutdown();      // flushes, then stops the flusher
//
// A write sets the cache after queueing. Two writes of a key racing each other can set the
// cache in either order; the one that is not the newest queued then invalidates the key after
// its set, so the cache never keeps a value the origin is about to overwrite.
//
// Thread-safe; stats() from any thread. The engine, the tier and the origin must outlive it.
// Destroying it stops the flusher as shutdown(cancel) would (unflushed writes are lost: call
// shutdown() first) and, from an ordinary thread, waits for the batch in flight, if any, to
// return; destroyed from a task it cannot wait, so shut it down before.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cache/cache_tier.h"
#include "cache/origin.h"
#include "cache/ttl.h"
#include "runtime/clock.h"
#include "runtime/context.h"
#include "runtime/errors.h"
#include "runtime/task.h"

namespace cs {
class Engine;
}

namespace cs::cache {

struct WriteBehindOptions {
    std::string name = "write-behind";  // names the flusher task and the errors
    size_t queue_capacity = 1024;       // values waiting for the origin (one per key after
                                        // coalescing, plus the batch being written); >= 1.
                                        // Full: a write of a new key parks until a batch lands
    size_t batch_size = 64;             // rows per origin transaction, at most; >= 1
    rt::Duration flush_interval =
        std::chrono::milliseconds(50);  // how long a waiting value may wait for its batch to
                                        // fill; 0: send whatever waits at once
    rt::Duration retry_initial =
        std::chrono::milliseconds(10);  // wait after a failed batch, doubled after every
                                        // further failure in a row; > 0 (no hot loop against
                                        // an origin that fails at once)
    rt::Duration retry_max = std::chrono::seconds(1);  // cap of that wait; >= retry_initial
    Ttl ttl = Ttl::cache_default();  // how long a written value lives in the cache
    uint64_t seed = 1;               // seeds the jitter of the retry waits; any value
};

// A snapshot, consistent with itself: acknowledged == coalesced + rows_written + pending.
struct WriteBehindStats {
    uint64_t acknowledged = 0;     // writes queued
    uint64_t coalesced = 0;        // queued values replaced by a newer one of their key before
                                   // they reached the origin
    uint64_t batches = 0;          // batches the origin stored
    uint64_t rows_written = 0;     // rows in those batches
    size_t largest_batch = 0;      // rows of the largest of them
    uint64_t origin_failures = 0;  // batches the origin refused (each one kept and retried)
    uint64_t retries = 0;          // batches sent right after a failed one
    size_t pending = 0;            // values queued and not yet in the origin
    size_t max_pending = 0;        // the most pending there ever were
    size_t parked_writers = 0;     // writes waiting for room right now
    rt::Duration oldest_pending_age{0};  // engine-clock time the oldest pending value has
                                         // waited; 0 when none
};

struct WriteBehindReport {
    // ok: every acknowledged write is in the origin. Else why some are not: cancelled
    // (shutdown(cancel), or the context given to shutdown was cancelled) or deadline_exceeded.
    rt::Status status = rt::Status::ok;
    uint64_t left = 0;                // acknowledged values that never reached the origin
    std::vector<KeyValue> unflushed;  // them, oldest first, for the caller to keep elsewhere
};

// A write refused because the write-behind is shutting down or shut down. The write was not
// acknowledged: neither the cache nor the origin got it.
class WriteBehindClosed : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class WriteBehind {
  public:
    // Starts the flusher task. rt::InvalidArgument for an option out of range.
    WriteBehind(Engine& engine, CacheTier& tier, Origin& origin, WriteBehindOptions options = {});
    ~WriteBehind();
    WriteBehind(const WriteBehind&) = delete;
    WriteBehind& operator=(const WriteBehind&) = delete;

    // Queues the write (parking while the queue is full), then sets the cache; returns once
    // both are done: the write is acknowledged. Throws WriteBehindClosed once shutdown has
    // begun (a writer parked for room is released with it). If the tier throws, the write is
    // still queued and will reach the origin; the key is invalidated and the error rethrown.
    rt::Task<void> write(std::string key, std::string value);

    // Waits until every write acknowledged before the call is in the origin (and has the
    // flusher send at once rather than wait for a batch to fill). Status::ok; ctx.err() if ctx
    // ended first; Status::cancelled if the write-behind was cancelled first.
    rt::Task<rt::Status> flush(rt::Context ctx = rt::Context::background());

    // Stops taking writes and stops the flusher. graceful: first flushes everything
    // acknowledged, retrying while the origin is down, until done or ctx ends (then the rest
    // is left); not graceful: stops at once (a batch in flight is let finish). Either way it
    // returns once the flusher has ended. UsageError if called twice.
    rt::Task<WriteBehindReport> shutdown(bool graceful = true,
                                         rt::Context ctx = rt::Context::background());

    WriteBehindStats stats() const;
    const WriteBehindOptions& options() const noexcept;

    struct State;

  private:
    std::shared_ptr<State> m_state;
};

}  // namespace cs::cache
