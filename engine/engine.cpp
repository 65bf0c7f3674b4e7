#include "engine.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "cache/observed_cache.h"
#include "runtime/channel_core.h"
#include "runtime/rate_limiter.h"
#include "runtime/semaphore.h"
#include "telemetry/trace_export.h"

namespace cs {
namespace {

thread_local Engine* t_engine = nullptr;
std::atomic<Engine*> g_latest{nullptr};

rt::Clock::Mode clock_mode(const EngineOptions& o) {
    return o.deterministic ? rt::Clock::Mode::virtual_time : rt::Clock::Mode::scaled;
}

}  // namespace

Engine* Engine::current() noexcept {
    if (t_engine) return t_engine;
    return g_latest.load(std::memory_order_acquire);
}

Engine* Engine::bind_current_thread(Engine* e) noexcept {
    return std::exchange(t_engine, e);
}

Engine::Engine(EngineOptions options)
    : m_options(options),
      m_telemetry(options.telemetry),
      m_clock(clock_mode(options)),
      m_scheduler(*this,
                  rt::SchedulerOptions{options.workers, options.deterministic, options.seed}),
      m_blocking(*this, options.blocking) {
    if (!options.deterministic) m_clock.set_speed(options.speed);
    g_latest.store(this, std::memory_order_release);
    m_scheduler.start();
    if (!options.deterministic) m_timer_thread = std::thread([this] { timer_thread_main(); });
    m_collector = std::thread([this] { collector_main(); });
}

Engine::~Engine() {
    {
        std::lock_guard lock(m_timer_mu);
        m_stopping.store(true);
    }
    m_timer_cv.notify_all();
    { std::lock_guard lock(m_collector_mu); }
    m_collector_cv.notify_all();
    if (m_timer_thread.joinable()) m_timer_thread.join();
    if (m_collector.joinable()) m_collector.join();
    m_scheduler.stop();
    destroy_unfinished_tasks();
    m_timers.dispose_all();  // `after` timers that never fired own their channel
    Engine* self = this;
    g_latest.compare_exchange_strong(self, nullptr);
}

void Engine::destroy_unfinished_tasks() {
    // Workers are stopped: what is left is parked (or queued) for good. Destroying a frame runs
    // its awaiters' destructors, which take their wait nodes out of channels and semaphores.
    std::vector<rt::TaskControl*> left;
    m_telemetry.registry().for_each_task(
        [&](const rt::TaskControl& g) { left.push_back(const_cast<rt::TaskControl*>(&g)); });
    for (rt::TaskControl* g : left) {
        m_telemetry.registry().remove_task(g);
        if (rt::Completion* c = g->completion) {
            c->finish_and_release(std::make_exception_ptr(
                rt::UsageError("engine stopped before task '" + g->display_name() + "' finished")));
        }
        g->root.destroy();
    }
}

rt::Completion* Engine::start_root(rt::detail::RootTask root, std::string name, bool joinable) {
    rt::TaskControl& g = root.handle.promise().control;
    g.id = m_telemetry.new_id();
    g.name = std::move(name);
    g.sched = &m_scheduler;
    g.tel = &m_telemetry;
    g.resume_point = root.handle;
    rt::Completion* c = nullptr;
    if (joinable) {
        c = new rt::Completion();
        c->task_id = g.id;
        g.completion = c;
    }
    m_telemetry.registry().add_task(&g);
    if (m_telemetry.enabled()) {
        rt::TaskControl* parent = rt::current_task();
        m_telemetry.record(telemetry::EventKind::task_spawn, g.id, parent ? parent->id : 0);
        if (m_telemetry.recording()) m_telemetry.remember_name(g.id, g.display_name());
    }
    m_scheduler.submit(&g);
    return c;
}

// ---- time ----------------------------------------------------------------------------------

void Engine::arm_timer(rt::TimerNode* t) {
    rt::TimePoint when = t->when;  // read before add: once armed, t may fire and be freed
    m_timers.add(t);
    if (m_options.deterministic) return;  // the worker fires timers when it runs out of work
    // Disturb the timer thread only if it sleeps toward a later deadline (or is between waits:
    // then it must look at the heap again before it sleeps).
    std::lock_guard lock(m_timer_mu);
    if (m_timer_sleeping_until && *m_timer_sleeping_until <= when) return;
    m_timer_changed = true;
    if (m_timer_sleeping_until) m_timer_cv.notify_one();
}

void Engine::timer_thread_main() {
    bind_current_thread(this);
    std::unique_lock lock(m_timer_mu);
    while (!m_stopping.load()) {
        m_timer_changed = false;
        lock.unlock();
        m_timers.fire_due(m_clock.now());
        std::optional<rt::TimePoint> next = m_timers.next_deadline();
        lock.lock();
        if (m_timer_changed || m_stopping.load()) continue;
        uint64_t generation = m_clock.generation();
        auto changed = [&] {
            return m_timer_changed || m_stopping.load() || m_clock.generation() != generation;
        };
        std::optional<std::chrono::steady_clock::duration> wait;
        if (next) wait = m_clock.real_time_until(*next);
        if (wait && wait->count() <= 0) continue;
        // While sleeping without a deadline (no timer, or the clock paused), any new timer wakes
        // us.
        m_timer_sleeping_until = wait ? next : std::optional<rt::TimePoint>(rt::TimePoint::max());
        if (wait)
            m_timer_cv.wait_for(lock, *wait, changed);
        else
            m_timer_cv.wait(lock, changed);
        m_timer_sleeping_until.reset();
    }
    bind_current_thread(nullptr);
}

// The clock changed (speed, pause, a step): the timer thread recomputes how long to sleep.
void Engine::wake_timer_thread() {
    std::lock_guard lock(m_timer_mu);
    m_timer_cv.notify_all();
}

void Engine::pause() {
    m_clock.pause();
    wake_timer_thread();
}

void Engine::resume() {
    m_clock.resume();
    wake_timer_thread();
    m_scheduler.poke();
}

void Engine::set_speed(double speed) {
    m_clock.set_speed(speed);
    wake_timer_thread();
}

std::optional<rt::TimePoint> Engine::step() {
    std::optional<rt::TimePoint> next = m_timers.next_deadline();
    if (!next) return std::nullopt;
    advance(*next - m_clock.now());
    return m_clock.now();
}

void Engine::advance(rt::Duration d) {
    if (d.count() > 0) m_clock.advance_to(m_clock.now() + d);
    m_timers.fire_due(m_clock.now());
    wake_timer_thread();
}

// ---- observing -----------------------------------------------------------------------------

void Engine::collector_main() {
    bind_current_thread(this);
    std::unique_lock lock(m_collector_mu);
    while (!m_stopping.load()) {
        m_collector_cv.wait_for(lock, m_options.collect_interval,
                                [&] { return m_stopping.load(); });
        lock.unlock();
        m_telemetry.collect();
        m_scheduler.monitor();
        lock.lock();
    }
    bind_current_thread(nullptr);
}

void Engine::report_task_error(const rt::TaskControl& g) {
    std::string what = "unknown exception";
    try {
        std::rethrow_exception(g.error);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    std::lock_guard lock(m_errors_mu);
    m_errors.push_back({g.id, g.display_name(), std::move(what)});
}

std::vector<TaskError> Engine::task_errors() const {
    std::lock_guard lock(m_errors_mu);
    return m_errors;
}

std::shared_ptr<const telemetry::Snapshot> Engine::snapshot() {
    auto s = std::make_shared<telemetry::Snapshot>();
    s->seq = m_snapshot_seq.fetch_add(1) + 1;
    s->time = m_clock.now();
    s->speed = m_clock.speed();
    s->paused = m_clock.paused() && !m_options.deterministic;
    s->workers = m_scheduler.worker_count();
    s->runnable = m_scheduler.runnable_count();
    s->blocking_in_flight = m_blocking.in_flight();

    const telemetry::Registry& reg = m_telemetry.registry();
    reg.for_each_task([&](const rt::TaskControl& g) {
        s->tasks.push_back({g.id, g.display_name(), g.state.load(std::memory_order_relaxed),
                            g.wait_reason.load(std::memory_order_relaxed),
                            g.wait_object.load(std::memory_order_relaxed)});
    });
    std::sort(s->tasks.begin(), s->tasks.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });

    using Kind = telemetry::Observed::Kind;
    reg.for_each(Kind::channel, [&](const telemetry::Observed& o) {
        const auto& c = static_cast<const rt::ChanCore&>(o);
        s->channels.push_back({c.id(), c.telemetry_name, c.len(), c.cap(), c.closed(), c.internal(),
                               c.sends(), c.recvs(), c.waiting_senders(), c.waiting_receivers(),
                               telemetry::tick_span_to_ns(c.send_blocked_ticks()),
                               telemetry::tick_span_to_ns(c.recv_blocked_ticks())});
    });
    reg.for_each(Kind::semaphore, [&](const telemetry::Observed& o) {
        const auto& m = static_cast<const rt::Semaphore&>(o);
        s->semaphores.push_back({m.telemetry_id, m.telemetry_name, m.size(), m.held(), m.waiters(),
                                 m.acquisitions(), telemetry::tick_span_to_ns(m.blocked_ticks())});
    });
    reg.for_each(Kind::limiter, [&](const telemetry::Observed& o) {
        const auto& l = static_cast<const rt::RateLimiter&>(o);
        s->limiters.push_back({l.telemetry_id, l.telemetry_name, l.limit(), l.burst(), l.tokens(),
                               l.allowed(), l.denied(), l.waited()});
    });
    reg.for_each(Kind::cache, [&](const telemetry::Observed& o) {
        const auto& c = static_cast<const cache::ObservedCache&>(o);
        s->caches.push_back({c.telemetry_id, c.telemetry_name, c.policy_name(), c.capacity(),
                             c.stats(), c.load_latency()});
    });
    s->events = m_telemetry.take_recent();
    s->cache_events = m_telemetry.cache_events().take_recent();
    s->dropped_cache_events = m_telemetry.cache_events().dropped();
    s->dropped_events = m_telemetry.dropped();
    s->deadlock = m_scheduler.deadlock();
    s->task_errors = task_errors().size();
    return s;
}

void Engine::start_trace() {
    m_telemetry.start_recording();
    m_telemetry.registry().for_each_task(
        [&](const rt::TaskControl& g) { m_telemetry.remember_name(g.id, g.display_name()); });
    for (auto kind : {telemetry::Observed::Kind::channel, telemetry::Observed::Kind::semaphore,
                      telemetry::Observed::Kind::limiter, telemetry::Observed::Kind::mutex}) {
        m_telemetry.registry().for_each(kind, [&](const telemetry::Observed& o) {
            m_telemetry.remember_name(o.telemetry_id, telemetry::describe(o));
        });
    }
}

void Engine::stop_trace(std::ostream& out) {
    std::vector<telemetry::Event> events = m_telemetry.stop_recording();
    telemetry::TraceNames names{[&](uint64_t id) { return m_telemetry.remembered_name(id); },
                                [&](uint64_t id) { return m_telemetry.remembered_name(id); }};
    telemetry::write_chrome_trace(out, events, names);
}

}  // namespace cs
