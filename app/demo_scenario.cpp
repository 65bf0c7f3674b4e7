#include "demo_scenario.h"

#include <exception>
#include <random>
#include <utility>

namespace cs::app {
namespace {

using rt::Status;
using rt::WaitReason;

// Makes `engine` the one new runtime objects register with, for one scope. Objects find their
// engine through Engine::current(), which on an unbound thread is the most recently created one.
class BindEngine {
  public:
    explicit BindEngine(Engine& engine) : m_bound(Engine::current() != &engine) {
        if (m_bound) Engine::bind_current_thread(&engine);
    }
    ~BindEngine() {
        if (m_bound) Engine::bind_current_thread(nullptr);
    }
    BindEngine(const BindEngine&) = delete;
    BindEngine& operator=(const BindEngine&) = delete;

  private:
    bool m_bound;
};

}  // namespace

DemoScenario::DemoScenario(Engine& engine, int workers) : m_engine(engine), m_workers(workers) {
    if (workers < min_workers || workers > max_workers) {
        rt::throw_out_of_range("demo workers", workers, "1 .. 64");
    }
    BindEngine bind(engine);
    m_jobs = rt::Chan<int>(jobs_capacity, "jobs");
    m_results = rt::Chan<int>(results_capacity, "results");
    m_limiter = std::make_unique<rt::RateLimiter>(producer_rate, producer_burst, "producer-rate");
    m_db = std::make_unique<rt::Semaphore>(db_slots, "db-slots");
    auto [ctx, cancel] = rt::with_cancel(rt::Context::background());
    m_ctx = std::move(ctx);
    m_cancel.emplace(std::move(cancel));
}

DemoScenario::~DemoScenario() {
    stop();
}

void DemoScenario::start() {
    if (m_started) throw rt::UsageError("DemoScenario::start() called twice");
    m_started = true;
    m_tasks.reserve(static_cast<size_t>(m_workers) + 2);
    m_tasks.push_back(m_engine.spawn("producer", [this] { return producer(); }));
    for (int i = 1; i <= m_workers; ++i) {
        m_tasks.push_back(
            m_engine.spawn("worker-" + std::to_string(i), [this, i] { return worker(i); }));
    }
    m_tasks.push_back(m_engine.spawn("collector", [this] { return collector(); }));
}

void DemoScenario::stop() {
    if (!m_started || m_stopped) return;
    m_stopped = true;
    (*m_cancel)();
    for (rt::JoinHandle& h : m_tasks) {
        try {
            h.wait();
        } catch (const std::exception& e) {
            std::lock_guard lock(m_errors_mu);
            m_errors.push_back(e.what());
        }
    }
    m_tasks.clear();
}

std::vector<std::string> DemoScenario::errors() const {
    std::lock_guard lock(m_errors_mu);
    return m_errors;
}

rt::Task<> DemoScenario::producer() {
    for (int job = 1;; ++job) {
        if (co_await m_limiter->wait(m_ctx, 1) != Status::ok) break;
        // Shown as a send on "jobs": the context case only ends the wait early.
        int chosen = co_await rt::select_as(
            WaitReason::send, m_jobs.id(), rt::send_case(m_jobs, job), rt::recv_case(m_ctx.done()));
        if (chosen != 0) break;
        m_produced.fetch_add(1, std::memory_order_relaxed);
        if (co_await rt::sleep_for(m_ctx, producer_pause) != Status::ok) break;
    }
    m_jobs.close();  // the sender closes, as in Go
}

rt::Task<> DemoScenario::worker(int index) {
    std::mt19937 rng(seed + static_cast<uint32_t>(index));
    std::uniform_int_distribution<int> work_ms(static_cast<int>(min_work.count()),
                                               static_cast<int>(max_work.count()));
    for (;;) {
        int job = 0;
        bool ok = false;
        int chosen =
            co_await rt::select_as(WaitReason::recv, m_jobs.id(), rt::recv_case(m_jobs, job, ok),
                                   rt::recv_case(m_ctx.done()));
        if (chosen != 0 || !ok) break;  // cancelled, or "jobs" closed and drained

        auto work = std::chrono::milliseconds(work_ms(rng));
        auto compute = work / 2;
        if (co_await rt::sleep_for(m_ctx, compute) != Status::ok) break;
        if (co_await m_db->acquire(m_ctx, 1) != Status::ok) break;
        Status s = co_await rt::sleep_for(m_ctx, work - compute);
        m_db->release(1);
        if (s != Status::ok) break;

        chosen = co_await rt::select_as(WaitReason::send, m_results.id(),
                                        rt::send_case(m_results, job), rt::recv_case(m_ctx.done()));
        if (chosen != 0) break;
    }
}

rt::Task<> DemoScenario::collector() {
    for (;;) {
        int result = 0;
        bool ok = false;
        int chosen = co_await rt::select_as(WaitReason::recv, m_results.id(),
                                            rt::recv_case(m_results, result, ok),
                                            rt::recv_case(m_ctx.done()));
        if (chosen != 0 || !ok) break;
        m_collected.fetch_add(1, std::memory_order_relaxed);
    }
}

}  // namespace cs::app
