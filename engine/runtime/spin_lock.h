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

// SpinWait: one waiter's backoff while it watches a word another thread will change — pauses
// that double up to 64, then, after 16 rounds, yields the thread, so a holder that was preempted
// does not burn a whole time slice of the waiter. Reading (not writing) the word while waiting
// leaves its cache line with the thread that will write it.
class SpinWait {
  public:
    void once() noexcept {
        if (m_rounds++ < 16) {
            for (int i = 0; i < m_backoff; ++i) cpu_relax();
            if (m_backoff < 64) m_backoff <<= 1;
        } else {
            std::this_thread::yield();
        }
    }

  private:
    int m_backoff = 1;
    int m_rounds = 0;
};

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
    void lock_contended() noexcept {
        SpinWait wait;
        do {
            while (m_locked.load(std::memory_order_relaxed)) wait.once();
        } while (m_locked.exchange(true, std::memory_order_acquire));
    }

    std::atomic<bool> m_locked{false};
};

}  // namespace cs::rt
