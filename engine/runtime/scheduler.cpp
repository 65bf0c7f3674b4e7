#include "runtime/scheduler.h"

#include <algorithm>
#include <array>
#include <utility>

#include "engine.h"
#include "runtime/errors.h"
#include "runtime/park.h"

namespace cs::rt {
namespace {

thread_local Scheduler* t_scheduler = nullptr;
thread_local void* t_worker = nullptr;
thread_local TaskControl* t_current = nullptr;

// How long an idle worker keeps looking for work before it sleeps (rounds of one steal window).
// Sleeping and being woken cost a futex round trip each (microseconds); looking costs a core
// that has nothing else to do.
constexpr int spin_rounds = 16;
// The steal window, and how many windows of backlog justify moving tasks to another core.
constexpr auto steal_window = std::chrono::microseconds(2);
constexpr uint64_t backlog_windows = 16;

int64_t steal_window_ticks() {
    static const int64_t ticks = static_cast<int64_t>(
        std::chrono::duration<double, std::nano>(steal_window).count() / telemetry::ns_per_tick());
    return ticks;
}
// Check the global queue this often even when the local one has work, so it cannot starve.
constexpr uint64_t global_check_interval = 61;
// A task woken into `runnext` runs next; after this many consecutive hand-offs the worker takes
// from its queue instead, so two tasks bouncing a value cannot starve the rest.
constexpr int max_runnext_streak = 64;
// Deadlock confirmation: two checks this far apart must both find every task parked.
constexpr auto deadlock_grace = std::chrono::milliseconds(20);

}  // namespace

TaskControl* current_task() noexcept {
    return t_current;
}

TaskControl* require_task(const char* operation) {
    TaskControl* g = t_current;
    if (!g)
        throw UsageError(std::string(operation) +
                         " must be awaited from a task (use the blocking variant on a thread)");
    return g;
}

void Parker::wake() noexcept {
    if (task) {
        rt::wake(*this, 0, nullptr);
        return;
    }
    thread_woken.store(1, std::memory_order_release);
    thread_woken.notify_one();
}

void Parker::wait_thread() noexcept {
    while (thread_woken.load(std::memory_order_acquire) == 0)
        thread_woken.wait(0, std::memory_order_acquire);
}

Scheduler::Scheduler(Engine& engine, SchedulerOptions options)
    : m_engine(engine), m_telemetry(&engine.telemetry()), m_options(options) {
    int n = options.workers;
    if (options.deterministic) n = 1;
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < n; ++i) {
        auto w = std::make_unique<Worker>(options.seed * 0x9E3779B97F4A7C15ull +
                                          static_cast<uint64_t>(i));
        w->index = i;
        m_workers.push_back(std::move(w));
    }
}

Scheduler::~Scheduler() {
    stop();
}

void Scheduler::start() {
    if (m_started) return;
    m_started = true;
    for (auto& w : m_workers) {
        Worker* wp = w.get();
        wp->thread = std::thread([this, wp] { worker_main(*wp); });
    }
}

void Scheduler::stop() {
    if (!m_started) return;
    m_stopping.store(true);
    for (auto& w : m_workers) notify(*w);
    for (auto& w : m_workers) {
        if (w->thread.joinable()) w->thread.join();
    }
    m_started = false;
}

Rng& Scheduler::rng() noexcept {
    if (t_scheduler == this && t_worker) return static_cast<Worker*>(t_worker)->rng;
    thread_local Rng outside(std::hash<std::thread::id>{}(std::this_thread::get_id()));
    return outside;
}

// ---- making tasks runnable -------------------------------------------------------------------

void Scheduler::submit(TaskControl* g) {
    g->state.store(TaskState::runnable, std::memory_order_relaxed);
    if (t_scheduler == this && t_worker) {
        push_local(*static_cast<Worker*>(t_worker), g, /*as_next=*/false);
    } else {
        global_push(g);
    }
    wakep();
}

void Scheduler::ready(TaskControl* g) {
    if (t_scheduler == this && t_worker) {
        // A hand-off into an empty `runnext` gives an idle worker nothing to steal: the waker
        // is about to park (or the monitor notices that it does not). Waking one would only
        // cost a futex round trip, and its spinning would pull this worker's cache lines.
        if (!push_local(*static_cast<Worker*>(t_worker), g, /*as_next=*/!m_options.deterministic))
            return;
    } else {
        global_push(g);
    }
    wakep();
}

bool Scheduler::push_local(Worker& w, TaskControl* g, bool as_next) {
    if (m_options.deterministic) {
        w.det_queue.push_back(g);
        return true;
    }
    if (as_next) {
        g = w.runnext.exchange(g, std::memory_order_acq_rel);
        if (!g) return false;  // the slot was free; else its previous occupant goes to the queue
    }
    if (w.queue.push(g)) return true;
    // Full: move half of the local queue plus this task to the global queue.
    TaskControl* batch[LocalRunQueue::capacity / 2 + 1];
    uint32_t n = w.queue.take_half(batch);
    batch[n++] = g;
    global_push_batch(batch, n);
    return true;
}

// Go's sysmon, in small: a worker that has queued work but has not switched tasks since the last
// look is stuck in a long task; make sure an idle worker comes to take that work.
void Scheduler::monitor() {
    if (m_monitor_ticks.size() != m_workers.size())
        m_monitor_ticks.assign(m_workers.size(), ~uint64_t{0});
    for (size_t i = 0; i < m_workers.size(); ++i) {
        Worker& w = *m_workers[i];
        uint64_t tick = w.schedtick.load(std::memory_order_relaxed);
        bool waiting = w.runnext.load(std::memory_order_relaxed) || !w.queue.empty();
        if (waiting && tick == m_monitor_ticks[i]) wakep();
        m_monitor_ticks[i] = tick;
    }
}

void Scheduler::global_push(TaskControl* g) {
    global_push_batch(&g, 1);
}

void Scheduler::global_push_batch(TaskControl** gs, uint32_t n) {
    std::lock_guard lock(m_sched_mu);
    m_global.insert(m_global.end(), gs, gs + n);
    m_global_size.store(m_global.size(), std::memory_order_seq_cst);
}

TaskControl* Scheduler::global_pop(Worker& w) {
    if (m_global_size.load(std::memory_order_acquire) == 0) return nullptr;
    std::lock_guard lock(m_sched_mu);
    if (m_global.empty()) return nullptr;
    TaskControl* g = m_global.front();
    m_global.pop_front();
    if (m_options.deterministic) {
        // Keep arrival order; the seeded pick happens among everything runnable.
        w.det_queue.push_back(g);
        w.det_queue.insert(w.det_queue.end(), m_global.begin(), m_global.end());
        m_global.clear();
        m_global_size.store(0, std::memory_order_relaxed);
        return next_deterministic(w);
    }
    // Take a fair share to the local queue, as Go does, so one lock round trip feeds a while;
    // never more than fits (the periodic fairness check runs with a non-empty local queue).
    size_t room = LocalRunQueue::capacity - w.queue.size();
    size_t share =
        std::min({m_global.size() / m_workers.size(), size_t{LocalRunQueue::capacity / 2}, room});
    for (size_t i = 0; i < share && w.queue.push(m_global.front()); ++i) m_global.pop_front();
    m_global_size.store(m_global.size(), std::memory_order_relaxed);
    return g;
}

// Wake an idle worker if there is one and no worker is already looking for work (a spinning
// worker will find the new task itself, and wakes another if it finds more).
void Scheduler::wakep() {
    if (m_idle_count.load(std::memory_order_seq_cst) == 0) return;
    if (m_spinning.load(std::memory_order_relaxed) != 0) return;
    int expected = 0;
    if (!m_spinning.compare_exchange_strong(expected, 1, std::memory_order_seq_cst)) return;
    Worker* w = nullptr;
    {
        std::lock_guard lock(m_sched_mu);
        w = m_idle;
        if (w) {
            m_idle = w->idle_next;
            m_idle_count.fetch_sub(1, std::memory_order_relaxed);
        }
    }
    if (!w) {
        m_spinning.fetch_sub(1, std::memory_order_relaxed);
        return;
    }
    {
        std::lock_guard lock(w->park_mu);
        w->handoff_spinning = true;  // the waker's spinning slot passes to w
        w->notified = true;
    }
    w->park_cv.notify_one();
}

void Scheduler::poke() {
    // Wake one idle worker even if another is spinning: state outside the queues changed.
    Worker* w = nullptr;
    {
        std::lock_guard lock(m_sched_mu);
        w = m_idle;
    }
    if (w) notify(*w);
}

void Scheduler::notify(Worker& w) {
    {
        std::lock_guard lock(w.park_mu);
        w.notified = true;
    }
    w.park_cv.notify_one();
}

// ---- the worker loop -------------------------------------------------------------------------

void Scheduler::worker_main(Worker& w) {
    t_scheduler = this;
    t_worker = &w;
    Engine::bind_current_thread(&m_engine);
    w.events = &m_telemetry->ring();
    while (TaskControl* g = find_work(w)) run(w, g);
    detail::write_pending_park(*m_telemetry);
    t_worker = nullptr;
    t_scheduler = nullptr;
    Engine::bind_current_thread(nullptr);
}

void Scheduler::run(Worker& w, TaskControl* g) {
    // Only this worker writes its tick (thieves and the monitor read it): no locked RMW.
    w.schedtick.store(w.schedtick.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    g->state.store(TaskState::running, std::memory_order_relaxed);
    if (m_telemetry->enabled()) {
        // One clock read per switch: the previous task's park time is this one's start.
        detail::SwitchRecord& sw = detail::t_switch;
        int64_t ts = sw.ticks ? sw.ticks : telemetry::now_ticks();
        if (g->charge_to) {
            g->charge_to->add(w.index, ts - g->parked_at);
            g->charge_to = nullptr;
        }
        telemetry::Event run{ts,
                             g->id,
                             0,
                             static_cast<uint32_t>(w.index),
                             telemetry::EventKind::task_run,
                             WaitReason::none};
        if (sw.blocked_task)
            w.events->push2(sw.block_event(), run);
        else
            w.events->push(run);
        sw.ticks = 0;  // object and reason mean nothing without a task
        sw.blocked_task = 0;
    }
    t_current = g;
    g->resume_point.resume();
    t_current = nullptr;
}

TaskControl* Scheduler::next_local(Worker& w) {
    if (w.runnext_streak < max_runnext_streak) {
        if (TaskControl* g = w.runnext.exchange(nullptr, std::memory_order_acq_rel)) {
            ++w.runnext_streak;
            return g;
        }
    } else if (TaskControl* g = w.runnext.exchange(nullptr, std::memory_order_acq_rel)) {
        // Fairness: the hand-off chain has run long enough; queue it behind the others.
        push_local(w, g, /*as_next=*/false);
    }
    w.runnext_streak = 0;
    return w.queue.pop();
}

TaskControl* Scheduler::next_deterministic(Worker& w) {
    if (w.det_queue.empty()) return nullptr;
    size_t i = w.rng.below(static_cast<uint32_t>(w.det_queue.size()));
    TaskControl* g = w.det_queue[i];
    w.det_queue[i] = w.det_queue.back();
    w.det_queue.pop_back();
    return g;
}

void Scheduler::stop_spinning(Worker& w) {
    if (!w.spinning) return;
    w.spinning = false;
    // The last spinner to find work wakes another, in case there is more (Go's resetspinning).
    if (m_spinning.fetch_sub(1, std::memory_order_seq_cst) == 1) wakep();
}

// Stealing moves a task to another core, and with it every cache line it touches next: for
// tasks that exchange messages every few hundred nanoseconds, that costs more than the second
// core gains (a cache line takes ~90 ns to cross cores here). So a thief first watches its
// victims for a short window and steals only a backlog: from a victim that made no progress
// (it is stuck in a long task) or whose queue would take many windows to drain at the rate it
// is going. CPU-bound and spawn-heavy work still spreads at once; tight message passing stays on
// the core where its data is warm.
TaskControl* Scheduler::steal(Worker& w, bool take_runnext) {
    size_t n = m_workers.size();
    std::array<uint64_t, 64> ticks_before{};
    size_t watched = std::min<size_t>(n, ticks_before.size());
    for (size_t i = 0; i < watched; ++i)
        ticks_before[i] = m_workers[i]->schedtick.load(std::memory_order_relaxed);
    int64_t window_end = telemetry::now_ticks() + steal_window_ticks();
    while (telemetry::now_ticks() < window_end) {
        if (m_global_size.load(std::memory_order_relaxed) != 0)
            return nullptr;  // global work first
        for (int i = 0; i < 20; ++i) cpu_relax();
    }
    size_t start = w.rng.below(static_cast<uint32_t>(n));
    for (size_t k = 0; k < n; ++k) {
        size_t v = (start + k) % n;
        Worker& victim = *m_workers[v];
        if (&victim == &w) continue;
        uint64_t progressed =
            v < watched ? victim.schedtick.load(std::memory_order_relaxed) - ticks_before[v] : 0;
        uint32_t backlog = victim.queue.size();
        if (backlog > 0 && (progressed == 0 || backlog > progressed * backlog_windows)) {
            if (TaskControl* g = victim.queue.steal_into(w.queue)) return g;
        }
        // A hand-off waiting in `runnext` behind a task that is not letting go.
        if (take_runnext && progressed == 0 && victim.runnext.load(std::memory_order_relaxed)) {
            if (TaskControl* g = victim.runnext.exchange(nullptr, std::memory_order_acq_rel))
                return g;
        }
    }
    return nullptr;
}

bool Scheduler::anything_runnable_unlocked() const {
    if (m_global_size.load(std::memory_order_seq_cst) != 0) return true;
    for (const auto& v : m_workers) {
        if (!v->queue.empty() || v->runnext.load(std::memory_order_seq_cst)) return true;
    }
    return false;
}

TaskControl* Scheduler::find_work(Worker& w) {
    TaskControl* g = look_for_work(w);
    // Whatever found the task, this worker stops being the one looking: keeping the spinning
    // count would stop wakep() from ever waking another worker.
    stop_spinning(w);
    return g;
}

TaskControl* Scheduler::look_for_work(Worker& w) {
    for (;;) {
        if (m_stopping.load(std::memory_order_relaxed)) return nullptr;

        if (m_options.deterministic) {
            if (TaskControl* g = next_deterministic(w)) return g;
            if (TaskControl* g = global_pop(w)) return g;
            if (fire_virtual_timers()) continue;
            sleep(w);
            continue;
        }

        if (w.schedtick.load(std::memory_order_relaxed) % global_check_interval == 0) {
            if (TaskControl* g = global_pop(w)) return g;
        }
        if (TaskControl* g = next_local(w)) return g;
        if (TaskControl* g = global_pop(w)) return g;

        // Look for work elsewhere, as one of at most half the busy workers.
        int busy =
            static_cast<int>(m_workers.size()) - m_idle_count.load(std::memory_order_relaxed);
        if (!w.spinning && 2 * m_spinning.load(std::memory_order_relaxed) < busy) {
            w.spinning = true;
            m_spinning.fetch_add(1, std::memory_order_seq_cst);
        }
        if (w.spinning && m_workers.size() > 1) {
            for (int round = 0; round < spin_rounds; ++round) {
                if (TaskControl* g = steal(w, /*take_runnext=*/round == spin_rounds - 1)) return g;
                if (TaskControl* g = global_pop(w)) return g;
            }
        }
        sleep(w);
    }
}

void detail::write_pending_park(telemetry::Telemetry& tel) noexcept {
    SwitchRecord& sw = t_switch;
    if (sw.blocked_task) tel.record(sw.block_event());
    sw = {};
}

void Scheduler::sleep(Worker& w) {
    detail::write_pending_park(
        *m_telemetry);  // nothing will run here for a while: the park must not wait for it
    // Drop the spinning role, then join the idle list, then re-check every queue: a task readied
    // meanwhile by a waker that saw us spinning (and so woke nobody) is found by the re-check.
    if (w.spinning) {
        w.spinning = false;
        m_spinning.fetch_sub(1, std::memory_order_seq_cst);
    }
    {
        std::lock_guard lock(m_sched_mu);
        if (!m_global.empty() || m_stopping.load()) return;
        w.idle_next = m_idle;
        m_idle = &w;
        m_idle_count.fetch_add(1, std::memory_order_seq_cst);
    }
    std::unique_lock lock(w.park_mu);
    auto woken = [&] { return w.notified || m_stopping.load(); };
    while (!woken()) {
        lock.unlock();
        bool runnable = anything_runnable_unlocked();
        lock.lock();
        if (runnable || woken()) break;
        bool all_idle =
            m_idle_count.load(std::memory_order_seq_cst) == static_cast<int>(m_workers.size());
        if (!all_idle) {
            w.park_cv.wait(lock);
            continue;
        }
        // Every worker is idle: a timer or an outside thread will wake us, or it is a deadlock.
        if (m_options.deterministic && virtual_time_may_advance()) break;  // fire the next timer
        if (w.park_cv.wait_for(lock, deadlock_grace, woken)) break;
        lock.unlock();
        std::optional<DeadlockReport> confirmed;
        if (detect_deadlock()) {
            std::unique_lock relock(w.park_mu);
            if (!w.park_cv.wait_for(relock, deadlock_grace, woken)) {
                relock.unlock();
                confirmed = detect_deadlock();
            }
        }
        if (confirmed) set_deadlock(std::move(confirmed));
        lock.lock();
        if (confirmed) w.park_cv.wait(lock, woken);
    }
    leave_idle(w, lock);
    lock.unlock();
    if (m_deadlocked.load(std::memory_order_relaxed)) set_deadlock(std::nullopt);
}

// Called with w.park_mu held. Takes w off the idle list — unless a waker already did, in which
// case the waker hands w its spinning role (perhaps not yet: wait for it, so that nobody writes
// w.spinning once w runs again).
void Scheduler::leave_idle(Worker& w, std::unique_lock<std::mutex>& lock) {
    bool was_listed = false;
    {
        std::lock_guard sched(m_sched_mu);
        for (Worker** p = &m_idle; *p; p = &(*p)->idle_next) {
            if (*p == &w) {
                *p = w.idle_next;
                m_idle_count.fetch_sub(1, std::memory_order_relaxed);
                was_listed = true;
                break;
            }
        }
    }
    if (!was_listed) w.park_cv.wait(lock, [&] { return w.handoff_spinning || m_stopping.load(); });
    if (w.handoff_spinning) {
        w.handoff_spinning = false;
        w.spinning = true;
    }
    w.notified = false;
}

// A call on the blocking pool (a database query) will wake its task when it returns: virtual
// time stands still until then, or a timer could overtake a query that takes no virtual time.
bool Scheduler::virtual_time_may_advance() const {
    return m_engine.timers().pending() != 0 && m_engine.blocking_calls_in_flight() == 0;
}

bool Scheduler::fire_virtual_timers() {
    if (!virtual_time_may_advance()) return false;
    TimerQueue& timers = m_engine.timers();
    std::optional<TimePoint> next = timers.next_deadline();
    if (!next) return false;
    m_engine.clock().advance_to(*next);
    timers.fire_due(m_engine.clock().now());
    return true;
}

// ---- deadlock --------------------------------------------------------------------------------

std::optional<DeadlockReport> Scheduler::detect_deadlock() const {
    {
        std::lock_guard lock(m_sched_mu);
        if (m_idle_count.load() != static_cast<int>(m_workers.size())) return std::nullopt;
    }
    if (anything_runnable_unlocked()) return std::nullopt;
    if (m_engine.timers().pending() != 0) return std::nullopt;
    if (m_engine.blocking_calls_in_flight() != 0) return std::nullopt;
    if (!m_options.deterministic && m_engine.clock().paused())
        return std::nullopt;  // time will resume

    DeadlockReport report;
    bool all_blocked = true;
    const telemetry::Registry& reg = m_telemetry->registry();
    reg.for_each_task([&](const TaskControl& g) {
        if (g.state.load(std::memory_order_acquire) != TaskState::blocked) {
            all_blocked = false;
            return;
        }
        report.waiters.push_back({g.id, g.display_name(),
                                  g.wait_reason.load(std::memory_order_relaxed),
                                  g.wait_object.load(std::memory_order_relaxed), ""});
    });
    if (!all_blocked || report.waiters.empty()) return std::nullopt;
    for (auto& w : report.waiters) w.object_name = reg.describe_object(w.object_id);
    std::sort(report.waiters.begin(), report.waiters.end(),
              [](const auto& a, const auto& b) { return a.task_id < b.task_id; });
    return report;
}

void Scheduler::set_deadlock(std::optional<DeadlockReport> report) {
    bool found = report.has_value();
    {
        std::lock_guard lock(m_deadlock_mu);
        m_deadlock = std::move(report);
        m_deadlocked.store(found, std::memory_order_relaxed);
    }
    m_deadlock_cv.notify_all();
    if (found && m_telemetry->enabled()) m_telemetry->record(telemetry::EventKind::deadlock, 0, 0);
}

std::optional<DeadlockReport> Scheduler::deadlock() const {
    std::lock_guard lock(m_deadlock_mu);
    return m_deadlock;
}

std::optional<DeadlockReport> Scheduler::wait_for_deadlock(
    std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_deadlock_mu);
    m_deadlock_cv.wait_for(lock, timeout, [&] { return m_deadlock.has_value(); });
    return m_deadlock;
}

size_t Scheduler::runnable_count() const noexcept {
    size_t n = m_global_size.load(std::memory_order_relaxed);
    for (const auto& w : m_workers) {
        n += w->queue.size() + (w->runnext.load(std::memory_order_relaxed) ? 1 : 0);
    }
    return n;
}

// ---- task completion -------------------------------------------------------------------------

TaskOutcome Scheduler::on_task_finished(TaskControl* g) {
    bool failed = static_cast<bool>(g->error);
    g->state.store(TaskState::done, std::memory_order_release);
    if (m_telemetry->enabled()) {
        int64_t ts = telemetry::now_ticks();
        detail::t_switch.ticks = ts;  // the next task starts when this one ended
        m_telemetry->record(telemetry::EventKind::task_done, g->id, 0, WaitReason::none,
                            failed ? 1 : 0, ts);
    }
    if (failed) m_engine.report_task_error(*g);
    m_telemetry->registry().remove_task(g);
    return {std::exchange(g->completion, nullptr), std::move(g->error)};
}

void TaskOutcome::deliver() noexcept {
    if (!completion) return;
    completion->finish_and_release(std::move(error));
}

}  // namespace cs::rt
