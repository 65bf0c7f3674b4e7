#pragma once
// SpinLock: a test-and-test-and-set lock for the runtime's tiny critical sections (a channel's
// queues, a semaphore's counters). Thread-safe. Spins with a CPU pause, then yields the thread,
// so a holder that was preempted does not burn a whole time slice of the waiter.
#include <atomic>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace cs::rt {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
}

class SpinLock {
  public:
    void lock() noexcept {
        if (!m_locked.exchange(true, std::memory_order_acquire)) return;
        lock_contended();
    }
    bool try_lock() noexcept {
        return !m_locked.load(std::memory_order_relaxed) &&
               !m_locked.exchange(true, std::memory_order_acquire);
    }
    void unlock() noexcept { m_locked.store(false, std::memory_order_release); }

  private:
    // Waits reading (not writing) the lock word, backing off exponentially so that waiters do
    // not steal the cache line from the holder; yields the thread only after a long wait.
    void lock_contended() noexcept {
        int backoff = 1;
        for (int rounds = 0;; ++rounds) {
            while (m_locked.load(std::memory_order_relaxed)) {
                if (rounds < 16) {
                    for (int i = 0; i < backoff; ++i) cpu_relax();
                    if (backoff < 64) backoff <<= 1;
                } else {
                    std::this_thread::yield();
                }
                ++rounds;
            }
            if (!m_locked.exchange(true, std::memory_order_acquire)) return;
        }
    }

    std::atomic<bool> m_locked{false};
};

}  // namespace cs::rt
