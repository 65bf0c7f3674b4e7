#pragma once
// DemoScenario: the worker-pool demo the interim GUI runs — real tasks on a real engine.
//
//   producer ──jobs (chan, cap 8)──► worker-1..N ──results (chan, cap 4)──► collector
//
//  - "producer" waits for a token from the "producer-rate" limiter (20/s, burst 5), sends job
//    ids on "jobs", then pauses briefly;
//  - each "worker-<i>" receives a job, works on it for 50..250 ms of clock time (uniform, seeded
//    per worker), the second half of it holding one of the 2 "db-slots" (a semaphore), then sends
//    the job id on "results";
//  - "collector" drains "results".
// Every wait also selects on a cancellable context, so stop() ends every task promptly, even
// while the engine's clock is paused. The producer closes "jobs" when it ends.
//
//   cs::Engine engine;
//   DemoScenario demo(engine, 4);
//   demo.start();
//   ...
//   demo.stop();   // before the engine goes away
//
// start() and stop() are for one controlling thread (the GUI's); counters may be read from any.
// The scenario must be destroyed before its engine (the destructor stops it).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/runtime.h"

namespace cs::app {

class DemoScenario {
  public:
    static constexpr int min_workers = 1;
    static constexpr int max_workers = 64;
    static constexpr long long jobs_capacity = 8;
    static constexpr long long results_capacity = 4;
    static constexpr double producer_rate = 20.0;  // jobs per second of clock time
    static constexpr int64_t producer_burst = 5;   // tokens
    static constexpr int64_t db_slots = 2;         // workers in the "database" phase at once
    static constexpr std::chrono::milliseconds producer_pause{10};  // after each job
    static constexpr std::chrono::milliseconds min_work{50};        // per job, uniform in
    static constexpr std::chrono::milliseconds max_work{250};       //   [min_work, max_work]
    static constexpr uint32_t seed = 2024;  // worker i draws from std::mt19937(seed + i)

    // Creates the channels, limiter, semaphore and context on `engine` (binding it to the calling
    // thread for the duration if it is not already Engine::current()). Throws
    // rt::InvalidArgument for workers outside min_workers .. max_workers.
    explicit DemoScenario(Engine& engine, int workers = 4);
    ~DemoScenario();
    DemoScenario(const DemoScenario&) = delete;
    DemoScenario& operator=(const DemoScenario&) = delete;

    // Spawns producer, workers and collector. Throws rt::UsageError if called twice.
    void start();
    // Cancels the context and waits for every task to end. Idempotent; a no-op before start().
    void stop();

    int workers() const noexcept { return m_workers; }
    bool running() const noexcept { return m_started && !m_stopped; }
    uint64_t produced() const noexcept { return m_produced.load(std::memory_order_relaxed); }
    uint64_t collected() const noexcept { return m_collected.load(std::memory_order_relaxed); }
    // What tasks threw (there should be nothing here), filled by stop().
    std::vector<std::string> errors() const;

  private:
    rt::Task<> producer();
    rt::Task<> worker(int index);
    rt::Task<> collector();

    Engine& m_engine;
    const int m_workers;
    rt::Chan<int> m_jobs;
    rt::Chan<int> m_results;
    std::unique_ptr<rt::RateLimiter> m_limiter;
    std::unique_ptr<rt::Semaphore> m_db;
    rt::Context m_ctx = rt::Context::background();
    std::optional<rt::CancelFunc> m_cancel;

    std::vector<rt::JoinHandle> m_tasks;
    bool m_started = false;
    bool m_stopped = false;
    std::atomic<uint64_t> m_produced{0};
    std::atomic<uint64_t> m_collected{0};
    mutable std::mutex m_errors_mu;
    std::vector<std::string> m_errors;
};

}  // namespace cs::app
