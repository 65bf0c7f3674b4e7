#pragma once
// Scheduler: the M:N scheduler that runs tasks (coroutines) on worker threads, modelled on Go's:
//  - each worker has a lock-free local run queue and a `runnext` slot: a task woken by the
//    running task runs next on the same worker, so a send/recv hand-off stays in cache;
//  - idle workers steal half of a busy worker's queue; a woken worker spins briefly before it
//    sleeps, and at most one spins at a time, so waking costs a syscall only when needed;
//  - tasks readied from ordinary threads (timers, the blocking pool, the GUI) go through a
//    global queue.
// Deterministic mode runs one worker that picks the next task with a seeded generator and jumps
// virtual time to the next timer when every task is parked: the same seed gives the same run.
//
// When every worker is idle, no timer is armed, no blocking call is in flight and every live
// task is parked, the scheduler reports a deadlock with who waits on what.
//
// Thread-safe.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "runtime/deadlock_report.h"
#include "runtime/random.h"
#include "runtime/run_queue.h"
#include "runtime/task_control.h"
#include "telemetry/telemetry.h"

namespace cs {
class Engine;
}

namespace cs::rt {

struct SchedulerOptions {
    int workers = 0;             // worker threads; 0 = one per hardware core
    bool deterministic = false;  // one worker, seeded choice of the next task, virtual time
    uint64_t seed = 1;           // seeds every worker's generator (select's choice, det. order)
};

class Scheduler {
  public:
    Scheduler(Engine& engine, SchedulerOptions options);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    void start();
    // Stops the workers after their current task step. Tasks still parked stay parked.
    void stop();

    Engine& engine() noexcept { return m_engine; }
    telemetry::Telemetry& telemetry() noexcept { return *m_telemetry; }
    int worker_count() const noexcept { return static_cast<int>(m_workers.size()); }
    bool deterministic() const noexcept { return m_options.deterministic; }

    // Makes a new task runnable for the first time.
    void submit(TaskControl* g);
    // Makes a parked task runnable again. Callable from any thread.
    void ready(TaskControl* g);
    // Called from a task's final suspend point, before its frame is destroyed: state, telemetry,
    // the error report, the registry. Returns what to hand its joiners once the frame is gone.
    TaskOutcome on_task_finished(TaskControl* g);

    // The calling worker's generator (select's uniform choice); a thread-local one elsewhere.
    Rng& rng() noexcept;

    // The current deadlock, if the scheduler has found one (cleared when any task runs again).
    std::optional<DeadlockReport> deadlock() const;
    // Blocks the calling (ordinary) thread until a deadlock is reported or `timeout` passes.
    std::optional<DeadlockReport> wait_for_deadlock(std::chrono::milliseconds timeout) const;

    // Something outside the scheduler changed whether tasks can progress (a timer was armed, a
    // blocking call finished, the clock resumed): idle workers re-check.
    void poke();

    // Called periodically (by the engine's collector): wakes an idle worker for work queued
    // behind a task that has been running since the previous call.
    void monitor();

    // Runnable tasks across all queues (a gauge for snapshots; approximate while running).
    size_t runnable_count() const noexcept;

  private:
    struct Worker {
        explicit Worker(uint64_t seed) : rng(seed) {}
        LocalRunQueue queue;
        std::atomic<TaskControl*> runnext{nullptr};
        std::atomic<uint64_t> schedtick{0};   // tasks run; thieves use it to tell a stuck owner
        std::vector<TaskControl*> det_queue;  // deterministic mode only
        Rng rng;
        bool spinning = false;
        int runnext_streak = 0;
        int index = 0;
        telemetry::EventRing* events = nullptr;  // this worker thread's telemetry ring
        std::thread thread;
        // Sleeping: guarded by park_mu.
        std::mutex park_mu;
        std::condition_variable park_cv;
        bool notified = false;
        bool handoff_spinning = false;  // set by wakep(): w takes over its spinning slot
        Worker* idle_next = nullptr;
    };

    void worker_main(Worker& w);
    void run(Worker& w, TaskControl* g);
    TaskControl* find_work(Worker& w);
    TaskControl* look_for_work(Worker& w);
    TaskControl* next_local(Worker& w);
    TaskControl* next_deterministic(Worker& w);
    TaskControl* steal(Worker& w, bool take_runnext);
    TaskControl* global_pop(Worker& w);
    void global_push(TaskControl* g);
    void global_push_batch(TaskControl** gs, uint32_t n);
    bool push_local(Worker& w, TaskControl* g, bool as_next);  // true: something stealable queued
    void stop_spinning(Worker& w);
    void wakep();
    void notify(Worker& w);
    void sleep(Worker& w);
    void leave_idle(Worker& w, std::unique_lock<std::mutex>& lock);
    bool anything_runnable_unlocked() const;
    bool virtual_time_may_advance() const;  // deterministic mode: a timer is due next
    bool fire_virtual_timers();
    std::optional<DeadlockReport> detect_deadlock() const;
    void set_deadlock(std::optional<DeadlockReport> report);

    Engine& m_engine;
    telemetry::Telemetry* m_telemetry;
    SchedulerOptions m_options;
    std::vector<std::unique_ptr<Worker>> m_workers;

    // Global run queue and idle list. A spin lock: every hold is a few pointer moves. Written
    // often, so kept off the cache line of the read-mostly fields above.
    alignas(64) mutable SpinLock m_sched_mu;
    std::deque<TaskControl*> m_global;  // pointers, so a batch move does not chase task records
    std::atomic<size_t> m_global_size{0};
    Worker* m_idle = nullptr;
    alignas(64) std::atomic<int> m_idle_count{0};
    std::atomic<int> m_spinning{0};
    std::atomic<bool> m_stopping{false};
    std::vector<uint64_t> m_monitor_ticks;  // monitor() only
    bool m_started = false;

    mutable std::mutex m_deadlock_mu;
    mutable std::condition_variable m_deadlock_cv;
    std::optional<DeadlockReport> m_deadlock;
    std::atomic<bool> m_deadlocked{false};
};

}  // namespace cs::rt
