#pragma once
// Semaphore: a weighted semaphore with FIFO fairness, as Go's x/sync/semaphore.Weighted.
// acquire(n) takes n units when they are free and nobody queued earlier is still waiting (a large
// request at the head of the queue holds back smaller ones behind it: no starvation).
//
//   Semaphore db(3, "db-slots");
//   co_await db.acquire(1);                       // parks while 3 are held
//   Status s = co_await db.acquire(ctx, 2);       // ... or until ctx is cancelled
//   db.release(1);
//
// Thread-safe. Errors: size <= 0 and n <= 0 throw InvalidArgument; n > size fails at once
// (Status::exceeds_size) because it could never be satisfied; releasing more than is held
// throws UsageError.
#include <atomic>
#include <coroutine>
#include <cstdint>
#include <string>

#include "runtime/context.h"
#include "runtime/park.h"
#include "runtime/registered.h"
#include "runtime/spin_lock.h"
#include "runtime/task.h"
#include "runtime/wait_queue.h"

namespace cs::telemetry {
class Telemetry;
}

namespace cs::rt {

class Semaphore : public Registered {
  public:
    explicit Semaphore(int64_t size, std::string name = {});
    ~Semaphore();

    // Parks until n units are acquired. Throws InvalidArgument for n <= 0 or n > size.
    [[nodiscard]] auto acquire(int64_t n = 1) {
        check_weight(n, /*throw_if_too_big=*/true);
        return AcquireAwaiter{this, n};
    }
    // Parks until n units are acquired (Status::ok) or ctx is cancelled (ctx.err()); nothing is
    // held in the second case. n > size: Status::exceeds_size at once.
    Task<Status> acquire(Context ctx, int64_t n);
    bool try_acquire(int64_t n = 1);
    void release(int64_t n = 1);

    int64_t size() const noexcept { return m_size; }
    int64_t held() const noexcept { return m_held.load(std::memory_order_relaxed); }
    size_t waiters() const;
    uint64_t acquisitions() const noexcept { return m_acquired.load(std::memory_order_relaxed); }
    int64_t blocked_ticks() const noexcept { return m_blocked.total(); }

    // Used by acquire(ctx, n)'s select case.
    SpinLock mu;
    bool try_acquire_locked(int64_t n);
    void enqueue_locked(WaitNode& node) { m_waiters.push_back(&node); }
    void dequeue_locked(WaitNode& node) { m_waiters.remove(&node); }
    // Grants queued waiters in order while they fit; returns them (to wake after unlocking).
    void grant_locked(WaitQueue& granted);
    void wake_granted(WaitQueue& granted);

  private:
    struct AcquireAwaiter {
        Semaphore* sem;
        int64_t n;
        Parker parker{};
        WaitNode node{};
        bool await_ready() {
            sem->mu.lock();
            if (sem->try_acquire_locked(n)) {
                sem->mu.unlock();
                return true;
            }
            return false;  // keep the lock for await_suspend
        }
        void await_suspend(std::coroutine_handle<> h) {
            TaskControl* g = current_task();
            if (!g) {
                sem->mu.unlock();
                require_task("Semaphore::acquire");
            }
            parker.task = g;
            node.parker = &parker;
            node.weight = n;
            park_current(g, h, WaitReason::semaphore, sem->telemetry_id);
            sem->enqueue_locked(node);
            sem->mu.unlock();
        }
        void await_resume() const noexcept {}
        ~AcquireAwaiter() {
            if (node.queued) {
                sem->mu.lock();
                sem->dequeue_locked(node);
                sem->mu.unlock();
            }
        }
    };

    void check_weight(int64_t n, bool throw_if_too_big) const;

    const int64_t m_size;
    std::atomic<int64_t> m_held{0};
    WaitQueue m_waiters;
    std::atomic<uint64_t> m_acquired{0};
    BlockedTime m_blocked;
};

}  // namespace cs::rt
