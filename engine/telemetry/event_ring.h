#pragma once
// EventRing: a single-producer single-consumer ring of events. The producer (the thread that owns
// it) never waits: when the ring is full the event is dropped and counted. The consumer (the
// telemetry drain) reads everything published so far.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "telemetry/event.h"

namespace cs::telemetry {

class EventRing {
  public:
    explicit EventRing(size_t capacity_pow2);

    // Producer only.
    void push(const Event& e) noexcept {
        uint64_t h = m_head.load(std::memory_order_relaxed);
        if (h - m_tail_cache >= m_capacity) {
            m_tail_cache = m_tail.load(std::memory_order_acquire);
            if (h - m_tail_cache >= m_capacity) {
                // Only this thread writes the counter: no read-modify-write needed.
                m_dropped.store(m_dropped.load(std::memory_order_relaxed) + 1,
                                std::memory_order_relaxed);
                return;
            }
        }
        m_buf[h & m_mask] = e;
        m_head.store(h + 1, std::memory_order_release);
    }

    // Producer only: both or neither (one publication, one fullness check).
    void push2(const Event& a, const Event& b) noexcept {
        uint64_t h = m_head.load(std::memory_order_relaxed);
        if (h + 2 - m_tail_cache > m_capacity) {
            m_tail_cache = m_tail.load(std::memory_order_acquire);
            if (h + 2 - m_tail_cache > m_capacity) {
                m_dropped.store(m_dropped.load(std::memory_order_relaxed) + 2,
                                std::memory_order_relaxed);
                return;
            }
        }
        m_buf[h & m_mask] = a;
        m_buf[(h + 1) & m_mask] = b;
        m_head.store(h + 2, std::memory_order_release);
    }

    // Consumer only: appends every published event to `out`.
    void drain(std::vector<Event>& out);

    uint64_t dropped() const noexcept { return m_dropped.load(std::memory_order_relaxed); }

  private:
    const size_t m_capacity;
    const size_t m_mask;
    std::unique_ptr<Event[]> m_buf;
    alignas(64) std::atomic<uint64_t> m_head{0};
    uint64_t m_tail_cache = 0;  // producer's view of m_tail
    alignas(64) std::atomic<uint64_t> m_tail{0};
    std::atomic<uint64_t> m_dropped{0};
};

}  // namespace cs::telemetry
