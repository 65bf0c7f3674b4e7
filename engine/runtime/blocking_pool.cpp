#include "runtime/blocking_pool.h"

#include "engine.h"

namespace cs::rt {

BlockingPool::BlockingPool(Engine& engine, BlockingPoolOptions options)
    : m_engine(engine), m_options(options) {}

BlockingPool::~BlockingPool() {
    std::map<std::thread::id, std::thread> running;
    {
        std::lock_guard lock(m_mu);
        m_stopping = true;
        running.swap(m_running);
    }
    m_cv.notify_all();
    for (auto& [id, t] : running) t.join();
}

void BlockingPool::reap_exited() {
    for (std::thread::id id : m_exited) {
        auto it = m_running.find(id);
        if (it == m_running.end()) continue;
        it->second.join();  // it has left thread_main: this returns at once
        m_running.erase(it);
    }
    m_exited.clear();
}

void BlockingPool::submit(std::function<void()> job) {
    // Counted from submission to the end of the job (which wakes the awaiting task), so the
    // deadlock detector never sees a task parked on I/O with nothing in flight.
    m_in_flight.fetch_add(1, std::memory_order_acq_rel);
    std::lock_guard lock(m_mu);
    m_jobs.push_back(std::move(job));
    if (m_idle > 0) {
        m_cv.notify_one();
    } else if (m_threads < m_options.max_threads && !m_stopping) {
        reap_exited();
        ++m_threads;
        std::thread t(&BlockingPool::thread_main, this);
        m_running.emplace(t.get_id(), std::move(t));
    }
}

void BlockingPool::thread_main() {
    Engine::bind_current_thread(&m_engine);
    std::unique_lock lock(m_mu);
    for (;;) {
        if (m_jobs.empty()) {
            if (m_stopping) break;
            ++m_idle;
            bool got = m_cv.wait_for(lock, m_options.idle_timeout,
                                     [&] { return !m_jobs.empty() || m_stopping; });
            --m_idle;
            if (!got && m_threads > m_options.min_threads) break;
            continue;
        }
        std::function<void()> job = std::move(m_jobs.front());
        m_jobs.pop_front();
        lock.unlock();
        job();
        // Virtual time waits for blocking calls to return (a query takes no virtual time):
        // the last one to return tells the idle scheduler that time may move on.
        if (m_in_flight.fetch_sub(1, std::memory_order_acq_rel) == 1 &&
            m_engine.scheduler().deterministic())
            m_engine.scheduler().poke();
        lock.lock();
    }
    --m_threads;
    m_exited.push_back(std::this_thread::get_id());
    Engine::bind_current_thread(nullptr);
}

}  // namespace cs::rt
