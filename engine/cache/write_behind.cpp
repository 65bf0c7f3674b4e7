#include "cache/write_behind.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

#include "engine.h"
#include "runtime/channel.h"
#include "runtime/duration_text.h"
#include "runtime/random.h"
#include "runtime/select.h"
#include "runtime/spawn.h"
#include "runtime/timers.h"

namespace cs::cache {

using rt::Chan;
using rt::Context;
using rt::Duration;
using rt::Status;
using rt::Task;
using rt::TimePoint;
using rt::Unit;

namespace {

// A value acknowledged and not yet in the origin.
struct Waiting {
    std::string value;
    uint64_t first_seq = 0;  // number of the oldest write it stands for: its place in line
    uint64_t version = 0;    // number of the write whose value it is
    TimePoint since{};       // when that oldest write was acknowledged
};

std::string label_of(const std::string& name) {
    return "write-behind '" + name + "'";
}

// A key as it appears in an error: quoted, and cut if long.
std::string key_text(const std::string& key) {
    constexpr size_t shown = 64;
    if (key.size() <= shown) return "'" + key + "'";
    return "'" + key.substr(0, shown) + "...'";
}

void check_options(const WriteBehindOptions& o) {
    const std::string label = label_of(o.name);
    if (o.queue_capacity < 1) rt::throw_out_of_range(label + " queue_capacity", 0, "1 ..");
    if (o.batch_size < 1) rt::throw_out_of_range(label + " batch_size", 0, "1 ..");
    auto refuse = [&](const char* field, Duration d, const char* allowed) {
        throw rt::InvalidArgument(label + " " + field + ": " + rt::format_duration(d) +
                                  " is out of range (allowed: " + allowed + ")");
    };
    if (o.flush_interval < Duration::zero())
        refuse("flush_interval", o.flush_interval, "0 or more");
    if (o.retry_initial <= Duration::zero())
        refuse("retry_initial", o.retry_initial, "more than 0");
    if (o.retry_max < o.retry_initial) refuse("retry_max", o.retry_max, "retry_initial or more");
}

}  // namespace

struct WriteBehind::State {
    State(Engine& e, CacheTier& t, Origin& o, WriteBehindOptions opts)
        : engine(e),
          tier(t),
          origin(o),
          options(std::move(opts)),
          lifetime(rt::with_cancel(Context::background())),
          kick(1, options.name + " kick", Chan<Unit>::Role::runtime),
          flusher_done(0, options.name + " flusher done", Chan<Unit>::Role::runtime),
          progress(new_progress()) {}

    Engine& engine;
    CacheTier& tier;
    Origin& origin;
    const WriteBehindOptions options;
    std::pair<Context, rt::CancelFunc> lifetime;  // cancelled: the flusher stops now
    Chan<Unit> kick;          // tells the flusher to look again (capacity 1: kicks coalesce)
    Chan<Unit> flusher_done;  // closed when the flusher ends
    rt::JoinHandle flusher;

    mutable std::mutex mu;  // guards everything below; never held across a co_await
    std::unordered_map<std::string, Waiting> waiting;  // not yet handed to the origin
    std::map<uint64_t, std::string> line;              // waiting's keys by first_seq
    std::unordered_map<std::string, Waiting> flying;   // in the batch being written
    uint64_t flying_first_seq = 0;                     // smallest first_seq in flying
    uint64_t seq = 0;           // writes acknowledged so far; the last one's number
    uint64_t flush_target = 0;  // flush() callers wait for every write up to this number
    size_t parked = 0;          // writers waiting for room
    bool accepting = true;
    bool shutdown_started = false;
    bool flusher_ended = false;
    // Closed and replaced whenever waiters may have something new to see: a batch landed,
    // the flusher ended, shutdown began. Go's close-to-broadcast.
    Chan<Unit> progress;

    uint64_t acknowledged = 0, coalesced = 0, batches = 0, rows_written = 0;
    uint64_t origin_failures = 0, retries = 0;
    size_t largest_batch = 0, max_pending = 0;

    const Context& ctx() const { return lifetime.first; }
    TimePoint now() const { return engine.clock().now(); }
    Chan<Unit> new_progress() const {
        return Chan<Unit>(0, options.name + " progress", Chan<Unit>::Role::runtime);
    }
    void poke() { kick.try_send(Unit{}); }  // full: a kick is already on its way

    size_t pending_locked() const { return waiting.size() + flying.size(); }
    uint64_t oldest_seq_locked() const {
        uint64_t oldest = std::numeric_limits<uint64_t>::max();
        if (!line.empty()) oldest = line.begin()->first;
        if (!flying.empty()) oldest = std::min(oldest, flying_first_seq);
        return oldest;
    }
    std::optional<TimePoint> oldest_since_locked() const;
    // Replaces the broadcast channel; the caller closes the returned one after unlocking.
    Chan<Unit> broadcast_locked() { return std::exchange(progress, new_progress()); }

    // Queues the write, parking while the queue is full; returns the write's number.
    Task<uint64_t> enqueue(const std::string& key, const std::string& value);
    // Whether `version` is the newest value of key still on its way to the origin.
    bool is_newest(const std::string& key, uint64_t version) const;

    Task<> run_flusher();
    bool urgent_locked(TimePoint now) const;
    std::vector<KeyValue> take_batch_locked();
    void landed_locked();
    void put_back_locked();
    Duration next_backoff(Duration previous) const;

    WriteBehindReport report(Status why_not_all);
};

std::optional<TimePoint> WriteBehind::State::oldest_since_locked() const {
    std::optional<TimePoint> oldest;
    if (!line.empty()) oldest = waiting.at(line.begin()->second).since;
    for (const auto& [key, w] : flying)
        if (!oldest || w.since < *oldest) oldest = w.since;
    return oldest;
}

// ---- writers ----------------------------------------------------------------------------------

Task<uint64_t> WriteBehind::State::enqueue(const std::string& key, const std::string& value) {
    bool was_parked = false;
    for (;;) {
        Chan<Unit> changed;
        bool wake_flusher = false;
        std::optional<uint64_t> version;
        {
            std::lock_guard lock(mu);
            if (was_parked) --parked;
            if (!accepting)
                throw WriteBehindClosed(label_of(options.name) + " is shut down: the write of " +
                                        key_text(key) + " was not accepted");
            if (auto it = waiting.find(key); it != waiting.end()) {
                // Coalesce: the newer value takes the older one's place in line.
                it->second.value = value;
                it->second.version = ++seq;
                version = seq;
                ++coalesced;
                ++acknowledged;
            } else if (pending_locked() < options.queue_capacity) {
                version = ++seq;
                waiting.emplace(key, Waiting{value, seq, seq, now()});
                line.emplace(seq, key);
                ++acknowledged;
                max_pending = std::max(max_pending, pending_locked());
                // The flusher's plan changes when the line starts (a batch timer to set) or a
                // batch fills up.
                wake_flusher = waiting.size() == 1 || waiting.size() == options.batch_size;
            } else {
                ++parked;
                was_parked = true;
                changed = progress;
                wake_flusher = parked == 1;  // someone waits: the flusher should not
            }
        }
        if (wake_flusher) poke();
        if (version) co_return *version;
        (void)co_await rt::select(rt::recv_case(changed), rt::recv_case(ctx().done()));
    }
}

bool WriteBehind::State::is_newest(const std::string& key, uint64_t version) const {
    std::lock_guard lock(mu);
    if (auto it = waiting.find(key); it != waiting.end()) return it->second.version == version;
    if (auto it = flying.find(key); it != flying.end()) return it->second.version == version;
    // Already in the origin, ours or a newer one: we cannot tell which, so the caller treats
    // it as newer (an invalidation too many costs a miss; one too few, a stale value).
    return false;
}

// ---- the flusher ------------------------------------------------------------------------------

bool WriteBehind::State::urgent_locked(TimePoint t) const {
    if (!accepting || parked > 0 || waiting.size() >= options.batch_size) return true;
    if (flush_target >= line.begin()->first) return true;
    return t - waiting.at(line.begin()->second).since >= options.flush_interval;
}

std::vector<KeyValue> WriteBehind::State::take_batch_locked() {
    std::vector<KeyValue> batch;
    batch.reserve(std::min(options.batch_size, waiting.size()));
    flying_first_seq = line.begin()->first;
    while (!line.empty() && batch.size() < options.batch_size) {
        auto node = waiting.extract(line.begin()->second);
        line.erase(line.begin());
        batch.emplace_back(node.key(), node.mapped().value);
        flying.insert(std::move(node));
    }
    return batch;
}

void WriteBehind::State::landed_locked() {
    ++batches;
    rows_written += flying.size();
    largest_batch = std::max(largest_batch, flying.size());
    flying.clear();
}

void WriteBehind::State::put_back_locked() {
    for (auto& [key, old] : flying) {
        auto it = waiting.find(key);
        if (it == waiting.end()) {
            line.emplace(old.first_seq, key);
            waiting.emplace(key, std::move(old));
            continue;
        }
        // Written again while in flight: the newer value wins, and stands in line where the
        // older one did (it has waited that long).
        Waiting& newer = it->second;
        line.erase(newer.first_seq);
        newer.first_seq = old.first_seq;
        newer.since = old.since;
        line.emplace(newer.first_seq, key);
        ++coalesced;
    }
    flying.clear();
}

Duration WriteBehind::State::next_backoff(Duration previous) const {
    if (previous <= Duration::zero()) return options.retry_initial;
    if (previous >= options.retry_max / 2) return options.retry_max;
    return previous * 2;
}

Task<> WriteBehind::State::run_flusher() {
    rt::Rng rng(options.seed);
    Duration backoff{0};  // 0: the last batch landed (or none was sent yet)
    for (;;) {
        std::vector<KeyValue> batch;
        std::optional<Duration> wait;
        bool idle = false;
        {
            std::lock_guard lock(mu);
            if (ctx().cancelled()) break;
            const TimePoint t = now();
            if (waiting.empty()) {
                if (!accepting) break;  // shutting down and nothing is left: done
                idle = true;
            } else if (!urgent_locked(t)) {
                wait = waiting.at(line.begin()->second).since + options.flush_interval - t;
            } else {
                batch = take_batch_locked();
                if (backoff > Duration::zero()) ++retries;
            }
        }
        if (idle) {
            (void)co_await rt::select(rt::recv_case(kick), rt::recv_case(ctx().done()));
            continue;
        }
        if (wait) {
            rt::Timer timer(*wait, options.name + " batch timer");
            (void)co_await rt::select(rt::recv_case(kick), rt::recv_case(timer.chan()),
                                      rt::recv_case(ctx().done()));
            continue;
        }

        // Any exception, not only OriginError: whatever went wrong, the rows stay queued.
        bool failed = false;
        try {
            co_await origin.store_batch(std::move(batch));
        } catch (...) {
            failed = true;
        }
        Chan<Unit> to_close;
        {
            std::lock_guard lock(mu);
            if (failed) {
                ++origin_failures;
                put_back_locked();
            } else {
                landed_locked();
            }
            // Room for parked writers (a put-back can make some too, by coalescing), progress
            // for flush().
            to_close = broadcast_locked();
        }
        to_close.close();
        if (!failed) {
            backoff = Duration::zero();
            continue;
        }
        backoff = next_backoff(backoff);
        // Jitter: somewhere in the upper half, so that flushers failing together do not all
        // come back at the same instant.
        const Duration half = backoff / 2;
        const auto extra =
            static_cast<Duration::rep>(rng.unit() * static_cast<double>(half.count()));
        (void)co_await rt::sleep_for(ctx(), half + Duration(extra));
    }
    Chan<Unit> to_close;
    {
        std::lock_guard lock(mu);
        flusher_ended = true;
        to_close = broadcast_locked();
    }
    to_close.close();
    flusher_done.close();
}

// ---- shutdown ---------------------------------------------------------------------------------

WriteBehindReport WriteBehind::State::report(Status why_not_all) {
    WriteBehindReport r;
    std::lock_guard lock(mu);
    // The flusher has ended: nothing is in flight.
    r.unflushed.reserve(waiting.size());
    for (const auto& [first_seq, key] : line) r.unflushed.emplace_back(key, waiting.at(key).value);
    r.left = r.unflushed.size();
    r.status = r.left == 0 ? Status::ok : why_not_all;
    return r;
}

// ---- the handle -------------------------------------------------------------------------------

WriteBehind::WriteBehind(Engine& engine, CacheTier& tier, Origin& origin,
                         WriteBehindOptions options) {
    check_options(options);
    m_state = std::make_shared<State>(engine, tier, origin, std::move(options));
    std::shared_ptr<State> s = m_state;
    // The task keeps the state alive: it may outlive the handle by the batch in flight.
    m_state->flusher =
        engine.spawn(m_state->options.name + " flusher", [s]() { return s->run_flusher(); });
}

WriteBehind::~WriteBehind() {
    State& s = *m_state;
    Chan<Unit> to_close;
    {
        std::lock_guard lock(s.mu);
        s.accepting = false;
        to_close = s.broadcast_locked();
    }
    to_close.close();  // parked writers and flush() callers look again, and give up
    s.lifetime.second();
    // A task must not block its worker; from a thread, wait so that no origin call is still
    // running when the caller goes on to destroy the origin. The join handle returns even if
    // the engine has already destroyed the task.
    if (!rt::current_task()) {
        try {
            s.flusher.wait();
        } catch (...) {
            // A flusher cut short by the engine's destruction: it has ended all the same.
        }
    }
}

Task<void> WriteBehind::write(std::string key, std::string value) {
    std::shared_ptr<State> s = m_state;
    const uint64_t version = co_await s->enqueue(key, value);
    std::exception_ptr failure;
    try {
        (void)co_await s->tier.set(key, std::move(value), s->options.ttl);
    } catch (...) {
        failure = std::current_exception();
    }
    // After our set, so that a racing older write's set is always followed by its own
    // invalidation (see the header).
    if (failure || !s->is_newest(key, version)) {
        try {
            (void)co_await s->tier.invalidate(key);
        } catch (...) {
            if (!failure) throw;
        }
    }
    if (failure) std::rethrow_exception(failure);
}

Task<Status> WriteBehind::flush(Context ctx) {
    std::shared_ptr<State> s = m_state;
    uint64_t target = 0;
    bool first = true;
    for (;;) {
        Chan<Unit> changed;
        {
            std::lock_guard lock(s->mu);
            if (first) {
                target = s->seq;
                s->flush_target = std::max(s->flush_target, target);
                first = false;
            }
            if (s->oldest_seq_locked() > target) co_return Status::ok;
            if (s->flusher_ended || s->ctx().cancelled()) co_return Status::cancelled;
            changed = s->progress;
        }
        s->poke();
        int chosen = co_await rt::select(rt::recv_case(changed), rt::recv_case(ctx.done()),
                                         rt::recv_case(s->ctx().done()));
        if (chosen == 1) co_return ctx.err();
    }
}

Task<WriteBehindReport> WriteBehind::shutdown(bool graceful, Context ctx) {
    std::shared_ptr<State> s = m_state;
    Chan<Unit> to_close;
    {
        std::lock_guard lock(s->mu);
        if (s->shutdown_started)
            throw rt::UsageError(label_of(s->options.name) + ": shutdown called twice");
        s->shutdown_started = true;
        s->accepting = false;
        to_close = s->broadcast_locked();
    }
    to_close.close();  // writers parked for room are refused
    if (!graceful) s->lifetime.second();
    s->poke();  // no more waiting for batches to fill
    int chosen = co_await rt::select(rt::recv_case(s->flusher_done), rt::recv_case(ctx.done()));
    Status why = graceful ? Status::ok : Status::cancelled;
    if (chosen == 1) {
        why = ctx.err();
        s->lifetime.second();
        (void)co_await s->flusher_done.recv();  // after the batch in flight, if any
    }
    co_return s->report(why);
}

WriteBehindStats WriteBehind::stats() const {
    const State& s = *m_state;
    const TimePoint t = s.now();
    WriteBehindStats out;
    std::lock_guard lock(s.mu);
    out.acknowledged = s.acknowledged;
    out.coalesced = s.coalesced;
    out.batches = s.batches;
    out.rows_written = s.rows_written;
    out.largest_batch = s.largest_batch;
    out.origin_failures = s.origin_failures;
    out.retries = s.retries;
    out.pending = s.pending_locked();
    out.max_pending = s.max_pending;
    out.parked_writers = s.parked;
    if (auto since = s.oldest_since_locked())
        out.oldest_pending_age = std::max(t - *since, Duration::zero());
    return out;
}

const WriteBehindOptions& WriteBehind::options() const noexcept {
    return m_state->options;
}

}  // namespace cs::cache
