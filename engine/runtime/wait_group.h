#pragma once
// WaitGroup: waits for a set of tasks to finish (Go's sync.WaitGroup).
//
//   WaitGroup wg;
//   wg.add(3);
//   for (...) engine.go("w", [&wg]() -> Task<> { ...; wg.done(); co_return; });
//   co_await wg.wait();        // from a task
//   wg.wait_blocking();        // from an ordinary thread
//
// Thread-safe. A negative counter throws UsageError, as Go panics.
#include <atomic>
#include <coroutine>
#include <cstdint>

#include "runtime/park.h"
#include "runtime/spin_lock.h"
#include "runtime/wait_queue.h"

namespace cs::rt {

class WaitGroup {
  public:
    WaitGroup() = default;
    ~WaitGroup();
    WaitGroup(const WaitGroup&) = delete;
    WaitGroup& operator=(const WaitGroup&) = delete;

    void add(int64_t delta);
    void done() { add(-1); }
    int64_t count() const noexcept { return m_count.load(std::memory_order_acquire); }

    [[nodiscard]] auto wait() {
        struct Awaiter {
            WaitGroup* wg;
            Parker parker{};
            WaitNode node{};
            bool await_ready() const noexcept { return wg->count() == 0; }
            bool await_suspend(std::coroutine_handle<> h) {
                TaskControl* g = require_task("WaitGroup::wait");
                std::lock_guard lock(wg->m_mu);
                if (wg->m_count.load(std::memory_order_acquire) == 0) return false;
                parker.task = g;
                node.parker = &parker;
                park_current(g, h, WaitReason::wait_group, 0);
                wg->m_waiters.push_back(&node);
                return true;
            }
            void await_resume() const noexcept {}
            ~Awaiter() {
                if (node.queued) {
                    std::lock_guard lock(wg->m_mu);
                    wg->m_waiters.remove(&node);
                }
            }
        };
        return Awaiter{this};
    }
    void wait_blocking();

  private:
    std::atomic<int64_t> m_count{0};
    SpinLock m_mu;
    WaitQueue m_waiters;
};

}  // namespace cs::rt
