#pragma once
// Mutex: a mutual-exclusion lock for tasks (Go's sync.Mutex). A task that finds it held parks;
// unlock() hands the lock directly to the longest waiter (FIFO), so no waiter starves.
//
//   co_await mu.lock();  ...  mu.unlock();
//   { auto guard = co_await mu.scoped();  ... }   // unlocks at scope exit
//
// Thread-safe. unlock() of an unlocked mutex throws UsageError.
#include <atomic>
#include <coroutine>
#include <string>
#include <utility>

#include "runtime/park.h"
#include "runtime/registered.h"
#include "runtime/spin_lock.h"
#include "runtime/wait_queue.h"

namespace cs::telemetry {
class Telemetry;
}

namespace cs::rt {

class Mutex : public Registered {
  public:
    explicit Mutex(std::string name = {});
    ~Mutex();

    [[nodiscard]] auto lock() { return LockAwaiter{this}; }
    bool try_lock();
    void unlock();
    bool locked() const noexcept { return m_locked.load(std::memory_order_relaxed); }

    class Guard {
      public:
        explicit Guard(Mutex* m) noexcept : m_mu(m) {}
        Guard(Guard&& o) noexcept : m_mu(std::exchange(o.m_mu, nullptr)) {}
        Guard& operator=(Guard&&) = delete;
        ~Guard() {
            if (m_mu) m_mu->unlock();
        }

      private:
        Mutex* m_mu;
    };
    [[nodiscard]] auto scoped() {
        struct Awaiter : LockAwaiter {
            Guard await_resume() noexcept { return Guard(this->mu); }
        };
        return Awaiter{{this}};
    }

  private:
    struct LockAwaiter {
        Mutex* mu;
        Parker parker{};
        WaitNode node{};
        bool await_ready() {
            mu->m_guard.lock();
            if (!mu->m_locked.load(std::memory_order_relaxed)) {
                mu->m_locked.store(true, std::memory_order_relaxed);
                mu->m_guard.unlock();
                return true;
            }
            return false;
        }
        void await_suspend(std::coroutine_handle<> h) {
            TaskControl* g = current_task();
            if (!g) {
                mu->m_guard.unlock();
                require_task("Mutex::lock");
            }
            parker.task = g;
            node.parker = &parker;
            park_current(g, h, WaitReason::mutex, mu->telemetry_id);
            mu->m_waiters.push_back(&node);
            mu->m_guard.unlock();
        }
        void await_resume() const noexcept {}
        ~LockAwaiter() {
            if (node.queued) {
                mu->m_guard.lock();
                mu->m_waiters.remove(&node);
                mu->m_guard.unlock();
            }
        }
    };

    SpinLock m_guard;
    std::atomic<bool> m_locked{false};
    WaitQueue m_waiters;
    BlockedTime m_blocked;
};

}  // namespace cs::rt
