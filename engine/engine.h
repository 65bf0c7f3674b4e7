#pragma once
// Engine: one running world of tasks — its clock, timers, scheduler, blocking pool and
// telemetry — and the one object the app and the tests hold. Start tasks with go()/spawn(),
// read what is happening with snapshot(), drive time with pause()/resume()/step()/set_speed().
//
//   cs::Engine engine;                        // workers = hardware cores
//   auto ch = cs::rt::Chan<int>(10, "jobs");
//   engine.go("producer", [ch]() mutable -> cs::rt::Task<> { co_await ch.send(42); });
//
// Thread-safe. Destroying the engine stops the workers and destroys tasks still parked.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/blocking_pool.h"
#include "runtime/clock.h"
#include "runtime/deadlock_report.h"
#include "runtime/scheduler.h"
#include "runtime/spawn.h"
#include "runtime/timer_queue.h"
#include "telemetry/snapshot.h"
#include "telemetry/telemetry.h"

namespace cs {

struct EngineOptions {
    int workers = 0;             // worker threads; 0 = one per hardware core
    bool deterministic = false;  // one worker, seeded scheduling, virtual time (see Scheduler)
    uint64_t seed = 1;           // seed of the scheduler's choices (select, deterministic order)
    double speed = 1.0;          // clock speed, 0.05 .. 10 (scaled mode; ignored in deterministic)
    telemetry::TelemetryOptions telemetry{};
    rt::BlockingPoolOptions blocking{};
    std::chrono::milliseconds collect_interval{10};  // how often the collector drains event rings
};

// A task that ended by throwing.
struct TaskError {
    uint64_t task_id;
    std::string task_name;
    std::string what;
};

class Engine {
  public:
    explicit Engine(EngineOptions options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // The engine of the calling worker or pool thread, else the most recently created live engine.
    static Engine* current() noexcept;
    // Binds the calling thread to `e` (null: unbinds); returns the thread's previous binding,
    // which is null when current() fell back to the latest engine.
    static Engine* bind_current_thread(Engine* e) noexcept;

    // Trace recording (Chrome trace-event JSON, opens in Perfetto): start, then write what was
    // recorded since. Task and object names are remembered while recording.
    void start_trace();
    void stop_trace(std::ostream& out);

    // Spawn a named task running fn(), a callable returning rt::Task<>. The callable (and its
    // captures) lives as long as the task.
    template <class F>
    void go(std::string name, F fn) {
        start_root(rt::detail::run_root(std::move(fn)), std::move(name), /*joinable=*/false);
    }
    template <class F>
    rt::JoinHandle spawn(std::string name, F fn) {
        return rt::JoinHandle(
            start_root(rt::detail::run_root(std::move(fn)), std::move(name), true));
    }
    rt::JoinHandle spawn_task(std::string name, rt::Task<> task) {
        return rt::JoinHandle(
            start_root(rt::detail::run_root_task(std::move(task)), std::move(name), true));
    }

    // ---- time ----
    rt::Clock& clock() noexcept { return m_clock; }
    rt::TimerQueue& timers() noexcept { return m_timers; }
    void arm_timer(rt::TimerNode* t);  // adds to the queue and wakes whoever drives it
    void pause();
    void resume();
    void set_speed(double speed);
    // While paused: jump to the next timer's deadline and fire everything due then. Returns the
    // new time, or nullopt if no timer is armed.
    std::optional<rt::TimePoint> step();
    // While paused: move time forward by d, firing what falls due.
    void advance(rt::Duration d);

    // ---- parts ----
    rt::Scheduler& scheduler() noexcept { return m_scheduler; }
    rt::BlockingPool& blocking_pool() noexcept { return m_blocking; }
    size_t blocking_calls_in_flight() const noexcept { return m_blocking.in_flight(); }
    telemetry::Telemetry& telemetry() noexcept { return m_telemetry; }

    // ---- observing ----
    std::shared_ptr<const telemetry::Snapshot> snapshot();
    std::optional<rt::DeadlockReport> deadlock() const { return m_scheduler.deadlock(); }
    std::optional<rt::DeadlockReport> wait_for_deadlock(std::chrono::milliseconds timeout) const {
        return m_scheduler.wait_for_deadlock(timeout);
    }
    std::vector<TaskError> task_errors() const;
    void report_task_error(const rt::TaskControl& g);  // called by the scheduler
    size_t live_tasks() const { return m_telemetry.registry().task_count(); }

  private:
    rt::Completion* start_root(rt::detail::RootTask root, std::string name, bool joinable);
    void destroy_unfinished_tasks();
    void timer_thread_main();
    void wake_timer_thread();
    void collector_main();

    const EngineOptions m_options;
    telemetry::Telemetry m_telemetry;
    rt::Clock m_clock;
    rt::TimerQueue m_timers;
    rt::Scheduler m_scheduler;
    rt::BlockingPool m_blocking;

    std::mutex m_timer_mu;
    std::condition_variable m_timer_cv;
    bool m_timer_changed = false;
    std::optional<rt::TimePoint> m_timer_sleeping_until;  // set while the timer thread waits
    std::atomic<bool> m_stopping{false};
    std::thread m_timer_thread;

    std::mutex m_collector_mu;
    std::condition_variable m_collector_cv;
    std::thread m_collector;

    mutable std::mutex m_errors_mu;
    std::vector<TaskError> m_errors;
    std::atomic<uint64_t> m_snapshot_seq{0};
};

}  // namespace cs
