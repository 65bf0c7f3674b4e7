#include "patterns/worker_pool.h"

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>

#include "runtime/duration_text.h"
#include "runtime/errors.h"
#include "runtime/select.h"
#include "runtime/wait_group.h"

namespace cs::patterns {

using rt::Chan;
using rt::Context;
using rt::Duration;
using rt::Status;
using rt::Task;
using rt::TimePoint;

namespace {

struct Envelope {
    Item item;
    TimePoint accepted{};
};

struct Worker {
    explicit Worker(int i) : index(i) {}
    int index = 0;
    bool running = true;
    uint64_t jobs = 0;
    Duration busy{0};
    TimePoint started{}, stopped{};
};

}  // namespace

// More retirements than this at once (shrinking by more than 65,536 workers in one step) wait
// for the next resize.
constexpr long long max_pending_retirements = 1 << 16;

struct WorkerPool::State {
    State(Engine& e, WorkerPoolOptions o, Handler h, const Context& parent)
        : engine(e),
          options(std::move(o)),
          handler(std::move(h)),
          lifetime(rt::with_cancel(parent)),
          queue(static_cast<int64_t>(options.queue_capacity), options.name + " jobs"),
          retire(max_pending_retirements, options.name + " retire"),
          results(static_cast<int64_t>(options.results_capacity), options.name + " results") {}

    Engine& engine;
    const WorkerPoolOptions options;
    const Handler handler;
    std::pair<Context, rt::CancelFunc> lifetime;  // cancelled by a hard shutdown
    Chan<Envelope> queue;
    Chan<Item> results;
    // Shrinking: one value per worker to retire; whichever workers are free first take them.
    // One channel for the pool, not one per worker: a pool of 10,000 workers stays one queue
    // and one retire channel in every snapshot.
    Chan<rt::Unit> retire;

    rt::WaitGroup submitting;  // submit() calls in flight
    rt::WaitGroup running;     // worker tasks alive

    mutable std::mutex mu;  // guards everything below
    bool accepting = true;
    bool shutdown_started = false;
    int target = 0;
    int retirements_pending = 0;  // values in `retire` that no worker has taken yet
    std::vector<std::unique_ptr<Worker>> workers;
    std::deque<JobError> errors;

    std::atomic<uint64_t> submitted{0}, accepted{0}, dropped{0}, rejected{0};
    std::atomic<uint64_t> completed{0}, failed{0}, timed_out{0}, left{0};
    LatencyHistogram latency;

    const Context& ctx() const { return lifetime.first; }
    TimePoint now() const { return engine.clock().now(); }

    void start_worker_locked(const std::shared_ptr<State>& self);
    Task<> work(std::shared_ptr<State> keep_alive, Worker* w);
    Task<> run_job(Worker& w, Envelope job);
    void note_error(uint64_t job_id, std::string message);
};

void WorkerPool::State::start_worker_locked(const std::shared_ptr<State>& self) {
    auto w = std::make_unique<Worker>(static_cast<int>(workers.size()));
    w->started = now();
    Worker* raw = w.get();
    workers.push_back(std::move(w));
    running.add(1);
    engine.go(options.name + " worker " + std::to_string(raw->index),
              [self, raw]() { return self->work(self, raw); });
}

Task<> WorkerPool::State::work(std::shared_ptr<State> keep_alive, Worker* w) {
    (void)keep_alive;  // the pool may be destroyed while its workers wind down
    for (;;) {
        Envelope job;
        bool ok = false;
        int chosen = co_await rt::select(rt::recv_case(queue, job, ok), rt::recv_case(retire),
                                         rt::recv_case(ctx().done()));
        if (chosen == 1) {
            std::lock_guard lock(mu);
            --retirements_pending;
        }
        if (chosen != 0 || !ok) break;
        co_await run_job(*w, std::move(job));
    }
    {
        std::lock_guard lock(mu);
        w->running = false;
        w->stopped = now();
    }
    running.done();
}

Task<> WorkerPool::State::run_job(Worker& w, Envelope job) {
    TimePoint start = now();
    std::optional<std::pair<Context, rt::CancelFunc>> deadline;
    if (options.job_timeout > Duration::zero())
        deadline.emplace(rt::with_timeout(ctx(), options.job_timeout));
    const Context& job_ctx = deadline ? deadline->first : ctx();

    Status status = Status::ok;
    std::optional<std::string> thrown;
    try {
        status = co_await handler(job.item, job_ctx);
    } catch (const std::exception& e) {
        thrown = e.what();
    } catch (...) {
        thrown = "unknown exception";
    }
    bool job_timed_out = deadline && deadline->first.err() == Status::deadline_exceeded;
    if (deadline) deadline->second();
    TimePoint end = now();
    {
        std::lock_guard lock(mu);
        ++w.jobs;
        w.busy += end - start;
    }

    if (thrown) {
        failed.fetch_add(1);
        note_error(job.item.id, *thrown);
    } else if (status == Status::ok) {
        completed.fetch_add(1);
        latency.record(end - job.accepted);
        // Delivered unless the pool is cancelled meanwhile (the job still counts as completed).
        co_await rt::select(rt::send_case(results, job.item), rt::recv_case(ctx().done()));
    } else if (ctx().cancelled()) {
        left.fetch_add(1);  // stopped by a hard shutdown: unfinished, not failed
    } else if (job_timed_out) {
        failed.fetch_add(1);
        timed_out.fetch_add(1);
        note_error(job.item.id, "timed out after " + rt::format_duration(options.job_timeout));
    } else {
        failed.fetch_add(1);
        note_error(job.item.id, rt::to_string(status));
    }
}

void WorkerPool::State::note_error(uint64_t job_id, std::string message) {
    std::lock_guard lock(mu);
    errors.push_back({job_id, std::move(message)});
    while (errors.size() > options.errors_kept) errors.pop_front();
}

// ---- the handle ------------------------------------------------------------------------------

WorkerPool::WorkerPool(Engine& engine, WorkerPoolOptions options, Handler handler, Context parent) {
    if (options.workers < 1) rt::throw_out_of_range("worker pool workers", options.workers, "1 ..");
    if (!handler) throw rt::InvalidArgument("worker pool: a handler is required");
    m_state = std::make_shared<State>(engine, std::move(options), std::move(handler), parent);
    std::lock_guard lock(m_state->mu);
    m_state->target = m_state->options.workers;
    for (int i = 0; i < m_state->target; ++i) m_state->start_worker_locked(m_state);
}

WorkerPool::~WorkerPool() {
    // Workers and blocked submitters all select on the pool's context: they end by themselves.
    m_state->lifetime.second();
}

Task<SubmitResult> WorkerPool::submit(Item job, Context ctx) {
    std::shared_ptr<State> s = m_state;
    {
        std::lock_guard lock(s->mu);
        if (!s->accepting) co_return SubmitResult::closed;
        s->submitting.add(1);
    }
    s->submitted.fetch_add(1);
    // Counted before the send so that completed <= accepted holds at every instant.
    s->accepted.fetch_add(1);
    Envelope env{job, s->now()};
    SubmitResult result = SubmitResult::accepted;
    if (s->options.backpressure == Backpressure::block) {
        int chosen = co_await rt::select(rt::send_case(s->queue, env), rt::recv_case(ctx.done()),
                                         rt::recv_case(s->ctx().done()));
        if (chosen != 0) result = SubmitResult::cancelled;
    } else {
        int chosen = co_await rt::select(rt::send_case(s->queue, env), rt::default_case());
        if (chosen != 0)
            result = s->options.backpressure == Backpressure::drop_newest ? SubmitResult::dropped
                                                                          : SubmitResult::rejected;
    }
    if (result != SubmitResult::accepted) {
        s->accepted.fetch_sub(1);
        if (result == SubmitResult::dropped) s->dropped.fetch_add(1);
        if (result == SubmitResult::rejected) s->rejected.fetch_add(1);
    }
    s->submitting.done();
    co_return result;
}

const Chan<Item>& WorkerPool::results() const noexcept {
    return m_state->results;
}

const WorkerPoolOptions& WorkerPool::options() const noexcept {
    return m_state->options;
}

void WorkerPool::resize(int workers) {
    if (workers < 1) rt::throw_out_of_range("worker pool workers", workers, "1 ..");
    State& s = *m_state;
    std::lock_guard lock(s.mu);
    if (!s.accepting) return;  // shutting down: the size no longer matters
    s.target = workers;
    int active = -s.retirements_pending;
    for (const auto& w : s.workers) active += w->running;
    // Growing first takes back retirements no worker has acted on yet, then starts workers.
    while (active < workers && s.retirements_pending > 0 && s.retire.try_recv()) {
        --s.retirements_pending;
        ++active;
    }
    for (; active < workers; ++active) s.start_worker_locked(m_state);
    // Each retiring worker stops when it is free: after the job it is running, if any.
    for (; active > workers && s.retire.try_send(rt::Unit{}); --active) ++s.retirements_pending;
}

Task<ShutdownReport> WorkerPool::shutdown(ShutdownMode mode) {
    std::shared_ptr<State> s = m_state;
    {
        std::lock_guard lock(s->mu);
        if (s->shutdown_started) throw rt::UsageError("worker pool: shutdown called twice");
        s->shutdown_started = true;
        s->accepting = false;
    }
    if (mode == ShutdownMode::cancel) s->lifetime.second();
    co_await s->submitting.wait();  // no submit can still be sending
    s->queue.close();
    co_await s->running.wait();
    while (auto r = s->queue.try_recv()) {  // cancel: what no worker took
        if (!r->ok) break;
        s->left.fetch_add(1);
    }
    s->results.close();
    co_return ShutdownReport{s->completed.load(), s->failed.load(), s->left.load()};
}

WorkerPoolStats WorkerPool::stats() const {
    const State& s = *m_state;
    WorkerPoolStats out;
    out.submitted = s.submitted.load();
    out.accepted = s.accepted.load();
    out.dropped = s.dropped.load();
    out.rejected = s.rejected.load();
    out.completed = s.completed.load();
    out.failed = s.failed.load();
    out.timed_out = s.timed_out.load();
    out.left = s.left.load();
    out.queued = s.queue.len();
    out.queue_capacity = s.queue.cap();
    out.latency = s.latency.summary();
    TimePoint now = s.now();
    std::lock_guard lock(s.mu);
    out.workers = s.target;
    for (const auto& w : s.workers) {
        out.per_worker.push_back(
            {w->index, w->running, w->jobs, w->busy, (w->running ? now : w->stopped) - w->started});
    }
    out.recent_errors.assign(s.errors.begin(), s.errors.end());
    return out;
}

const char* to_string(Backpressure b) noexcept {
    switch (b) {
        case Backpressure::block:
            return "block";
        case Backpressure::drop_newest:
            return "drop_newest";
        case Backpressure::reject:
            return "reject";
    }
    return "?";
}

const char* to_string(SubmitResult r) noexcept {
    switch (r) {
        case SubmitResult::accepted:
            return "accepted";
        case SubmitResult::dropped:
            return "dropped";
        case SubmitResult::rejected:
            return "rejected";
        case SubmitResult::closed:
            return "closed";
        case SubmitResult::cancelled:
            return "cancelled";
    }
    return "?";
}

}  // namespace cs::patterns
