#pragma once
// BlockingPool: threads for calls that cannot park (hiredis, SQLite, file I/O), as Go hands a
// blocking syscall to another thread. A task awaits `blocking(fn)`: it parks, a pool thread runs
// fn, and the task resumes with fn's result (or exception). The pool grows up to max_threads
// when every thread is busy, and idle threads above min_threads exit after a while.
// Thread-safe.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace cs {
class Engine;
}

namespace cs::rt {

struct BlockingPoolOptions {
    int min_threads = 1;   // threads kept even when idle
    int max_threads = 64;  // calls beyond this many wait in a queue
    std::chrono::milliseconds idle_timeout{
        2000};  // an idle thread above min_threads exits after this
};

class BlockingPool {
  public:
    BlockingPool(Engine& engine, BlockingPoolOptions options);
    ~BlockingPool();

    void submit(std::function<void()> job);
    size_t in_flight() const noexcept { return m_in_flight.load(std::memory_order_acquire); }

  private:
    void thread_main();
    void reap_exited();  // joins exited threads; caller holds m_mu

    Engine& m_engine;
    const BlockingPoolOptions m_options;
    mutable std::mutex m_mu;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_jobs;
    std::map<std::thread::id, std::thread> m_running;
    std::vector<std::thread::id> m_exited;  // threads that left thread_main, to join
    int m_threads = 0;
    int m_idle = 0;
    bool m_stopping = false;
    std::atomic<size_t> m_in_flight{0};
};

}  // namespace cs::rt
