#include "telemetry/event_ring.h"

#include <bit>

namespace cs::telemetry {

EventRing::EventRing(size_t capacity_pow2)
    : m_capacity(std::bit_ceil(capacity_pow2 < 2 ? size_t{2} : capacity_pow2)),
      m_mask(m_capacity - 1),
      m_buf(new Event[m_capacity]) {}

void EventRing::drain(std::vector<Event>& out) {
    uint64_t t = m_tail.load(std::memory_order_relaxed);
    uint64_t h = m_head.load(std::memory_order_acquire);
    out.reserve(out.size() + (h - t));
    for (; t != h; ++t) out.push_back(m_buf[t & m_mask]);
    m_tail.store(t, std::memory_order_release);
}

}  // namespace cs::telemetry
