#pragma once
// LocalRunQueue: a worker's own queue of runnable tasks (Go's per-P `runq`): a fixed ring that
// only its owner pushes to, and that the owner and thieves pop from, lock-free. When it fills,
// the owner moves half of it to the global queue.
#include <array>
#include <atomic>
#include <cstdint>

namespace cs::rt {

struct TaskControl;

class LocalRunQueue {
  public:
    static constexpr uint32_t capacity = 256;

    // Owner only. False when full.
    bool push(TaskControl* g) noexcept {
        uint32_t h = m_head.load(std::memory_order_acquire);
        uint32_t t = m_tail.load(std::memory_order_relaxed);
        if (t - h >= capacity) return false;
        m_buf[t % capacity].store(g, std::memory_order_relaxed);
        m_tail.store(t + 1, std::memory_order_release);
        return true;
    }

    // Owner or thief: takes the oldest task.
    TaskControl* pop() noexcept {
        uint32_t h = m_head.load(std::memory_order_acquire);
        for (;;) {
            uint32_t t = m_tail.load(std::memory_order_acquire);
            if (t == h) return nullptr;
            TaskControl* g = m_buf[h % capacity].load(std::memory_order_relaxed);
            if (m_head.compare_exchange_weak(h, h + 1, std::memory_order_acq_rel)) return g;
        }
    }

    // Owner only, when push failed: takes half of the queue out (oldest first) into `out`.
    uint32_t take_half(TaskControl** out) noexcept {
        uint32_t h = m_head.load(std::memory_order_acquire);
        for (;;) {
            uint32_t t = m_tail.load(std::memory_order_acquire);
            uint32_t n = (t - h) / 2;
            if (n == 0) return 0;
            for (uint32_t i = 0; i < n; ++i)
                out[i] = m_buf[(h + i) % capacity].load(std::memory_order_relaxed);
            if (m_head.compare_exchange_weak(h, h + n, std::memory_order_acq_rel)) return n;
        }
    }

    // Thief: moves up to half of this queue into `dst` (which must be empty, owned by the thief)
    // and returns one of the moved tasks to run now, or nullptr.
    TaskControl* steal_into(LocalRunQueue& dst) noexcept {
        uint32_t h = m_head.load(std::memory_order_acquire);
        uint32_t dt = dst.m_tail.load(std::memory_order_relaxed);
        for (;;) {
            uint32_t t = m_tail.load(std::memory_order_acquire);
            uint32_t n = t - h;
            n -= n / 2;
            if (n == 0) return nullptr;
            if (n > capacity / 2) {  // stale head; reload
                h = m_head.load(std::memory_order_acquire);
                continue;
            }
            for (uint32_t i = 0; i < n; ++i) {
                dst.m_buf[(dt + i) % capacity].store(
                    m_buf[(h + i) % capacity].load(std::memory_order_relaxed),
                    std::memory_order_relaxed);
            }
            if (m_head.compare_exchange_weak(h, h + n, std::memory_order_acq_rel)) {
                // Run the last stolen task now; publish the rest.
                TaskControl* g = dst.m_buf[(dt + n - 1) % capacity].load(std::memory_order_relaxed);
                if (n > 1) dst.m_tail.store(dt + n - 1, std::memory_order_release);
                return g;
            }
        }
    }

    bool empty() const noexcept {
        return m_head.load(std::memory_order_acquire) == m_tail.load(std::memory_order_acquire);
    }
    uint32_t size() const noexcept {
        return m_tail.load(std::memory_order_acquire) - m_head.load(std::memory_order_acquire);
    }

  private:
    alignas(64) std::atomic<uint32_t> m_head{0};
    alignas(64) std::atomic<uint32_t> m_tail{0};
    std::array<std::atomic<TaskControl*>, capacity> m_buf{};
};

}  // namespace cs::rt
