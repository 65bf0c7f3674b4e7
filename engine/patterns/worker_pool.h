#pragma once
// WorkerPool: N worker tasks take jobs from a bounded queue, run a handler on each, and send the
// finished jobs to a results channel — Go's classic worker pool, with what production pools add:
//
//  - backpressure when the queue is full: block the submitter, drop the new job, or reject it;
//  - a per-job timeout (the handler gets a context with that deadline);
//  - error collection: a handler that fails, throws or times out counts as failed and its error
//    is kept (the latest ones);
//  - resizing while running: more workers start at once; surplus ones stop after their job;
//  - shutdown by draining (stop taking jobs, finish every queued one) or by cancelling (stop now;
//    the report says how many accepted jobs were left unfinished).
//
// Every accepted job ends exactly once: completed, failed, or left (cancel only):
// accepted == completed + failed + left after shutdown.
//
//   WorkerPool pool(engine, {.name = "pool", .workers = 4, .queue_capacity = 16}, handler);
//   co_await pool.submit(item);               // from a producer task
//   while (auto r = co_await pool.results().recv()) { ... }
//   auto report = co_await pool.shutdown(ShutdownMode::drain);
//
// Thread-safe. Results must be consumed (or results_capacity be large enough), or workers block
// on the results channel, as in Go.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine.h"
#include "patterns/item.h"
#include "patterns/latency_histogram.h"
#include "runtime/channel.h"
#include "runtime/context.h"
#include "runtime/task.h"

namespace cs::patterns {

enum class Backpressure {
    block,        // the submitter waits for room (or for its context / the pool to end)
    drop_newest,  // the new job is dropped and counted
    reject,       // the new job is refused with SubmitResult::rejected
};
const char* to_string(Backpressure b) noexcept;

enum class SubmitResult { accepted, dropped, rejected, closed, cancelled };
const char* to_string(SubmitResult r) noexcept;

enum class ShutdownMode {
    drain,   // take no new jobs, finish every accepted one
    cancel,  // take no new jobs, stop the running ones, leave the queued ones
};

struct WorkerPoolOptions {
    std::string name = "pool";   // names the queue, results and worker tasks
    int workers = 4;             // >= 1
    size_t queue_capacity = 16;  // jobs waiting; 0 = unbuffered (hand-off to a free worker)
    Backpressure backpressure = Backpressure::block;
    rt::Duration job_timeout{0};   // per job; 0 = none
    size_t results_capacity = 16;  // finished jobs not yet read
    size_t errors_kept = 64;       // latest errors remembered (counts are exact)
};

struct JobError {
    uint64_t job_id = 0;
    std::string message;
};

struct WorkerStats {
    int index = 0;
    bool running = false;  // false once it has stopped (shrunk or shut down)
    uint64_t jobs = 0;
    rt::Duration busy{0};   // clock time spent in the handler
    rt::Duration alive{0};  // clock time since it started (until it stopped)
};

struct WorkerPoolStats {
    uint64_t submitted = 0, accepted = 0, dropped = 0, rejected = 0;
    uint64_t completed = 0, failed = 0, timed_out = 0, left = 0;
    size_t queued = 0, queue_capacity = 0;
    int workers = 0;  // target size
    std::vector<WorkerStats> per_worker;
    std::vector<JobError> recent_errors;
    LatencySummary latency;  // accepted to finished, completed jobs only
};

struct ShutdownReport {
    uint64_t completed = 0, failed = 0, left = 0;
};

class WorkerPool {
  public:
    // The handler runs a job; it returns Status::ok, or an error status, or throws. `ctx` is
    // cancelled on hard shutdown and carries the per-job deadline.
    using Handler = std::function<rt::Task<rt::Status>(Item&, const rt::Context&)>;

    WorkerPool(Engine& engine, WorkerPoolOptions options, Handler handler,
               rt::Context parent = rt::Context::background());
    ~WorkerPool();  // cancels what still runs; the workers finish on their own
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Offers a job under the backpressure policy. `ctx` bounds a blocking wait.
    rt::Task<SubmitResult> submit(Item job, rt::Context ctx = rt::Context::background());
    // Finished jobs (completed only); closed when the pool has shut down and every worker ended.
    const rt::Chan<Item>& results() const noexcept;

    void resize(int workers);  // >= 1; throws InvalidArgument otherwise
    rt::Task<ShutdownReport> shutdown(ShutdownMode mode);

    WorkerPoolStats stats() const;
    const WorkerPoolOptions& options() const noexcept;

    struct State;

  private:
    std::shared_ptr<State> m_state;
};

}  // namespace cs::patterns
