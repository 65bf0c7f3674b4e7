#pragma once
// ChanCore: the part of a channel that does not depend on its element type — lock, wait queues,
// counters, telemetry identity, reference count. Snapshots and select work on it.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/park.h"
#include "runtime/registered.h"
#include "runtime/spin_lock.h"
#include "runtime/wait_queue.h"
#include "telemetry/event.h"

namespace cs::telemetry {
class Telemetry;
}

namespace cs::rt {

class ChanCore : public Registered {
  public:
    ChanCore(size_t capacity, std::string name, bool internal);
    virtual ~ChanCore();

    size_t cap() const noexcept { return m_cap; }
    // Buffered values: every value sent and not yet received sits in the buffer (a parked
    // sender's value counts as sent only once it enters the buffer). Read without the lock it
    // is a gauge, clamped to 0 .. cap.
    size_t len() const noexcept {
        uint64_t r = m_recvs.load(std::memory_order_relaxed);
        uint64_t s = m_sends.load(std::memory_order_relaxed);
        return s > r ? std::min<size_t>(static_cast<size_t>(s - r), m_cap) : 0;
    }
    bool closed() const noexcept { return m_closed.load(std::memory_order_relaxed); }
    // The runtime's own plumbing (a timer's or a context's channel), not one the program made.
    bool internal() const noexcept { return m_internal; }
    uint64_t id() const noexcept { return telemetry_id; }
    uint64_t sends() const noexcept { return m_sends.load(std::memory_order_relaxed); }
    uint64_t recvs() const noexcept { return m_recvs.load(std::memory_order_relaxed); }
    int64_t send_blocked_ticks() const noexcept { return m_send_blocked.total(); }
    int64_t recv_blocked_ticks() const noexcept { return m_recv_blocked.total(); }

    // Waiters right now (snapshot gauges; taken under the lock).
    size_t waiting_senders() const;
    size_t waiting_receivers() const;

    void add_ref() noexcept { m_refs.fetch_add(1, std::memory_order_relaxed); }
    void drop_ref() noexcept {
        if (m_refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

  protected:
    void note_send() noexcept {  // with mu held
        uint64_t n = m_sends.load(std::memory_order_relaxed) + 1;
        m_sends.store(n, std::memory_order_relaxed);
        if (m_tracing) trace_op(telemetry::EventKind::chan_send, n);
    }
    void note_recv() noexcept {
        uint64_t n = m_recvs.load(std::memory_order_relaxed) + 1;
        m_recvs.store(n, std::memory_order_relaxed);
        if (m_tracing) trace_op(telemetry::EventKind::chan_recv, n);
    }
    size_t buffered_locked() const noexcept {
        return static_cast<size_t>(m_sends.load(std::memory_order_relaxed) -
                                   m_recvs.load(std::memory_order_relaxed));
    }
    void note_close() noexcept;
    void trace_op(telemetry::EventKind kind, uint64_t seq) noexcept;

    // ---- Hot state: everything a send or receive touches, in one cache line, so that an
    // operation moves one line between cores instead of four.
  public:
    alignas(64) SpinLock mu;
    WaitQueue sendq;
    WaitQueue recvq;

  protected:
    std::atomic<bool> m_closed{false};
    uint32_t m_sendx = 0;  // ring index of the next send
    uint32_t m_recvx = 0;  // ring index of the next receive
    const uint32_t m_cap;
    void* m_slots = nullptr;  // the ring, owned and typed by ChanState<T>
    std::atomic<uint64_t> m_sends{0};
    std::atomic<uint64_t> m_recvs{0};

    // ---- Cold state.
    alignas(64) BlockedTime m_send_blocked;  // time senders spent parked
    BlockedTime m_recv_blocked;
    bool m_tracing = false;  // the engine traces every operation (Level::trace)
    const bool m_internal;

  private:
    std::atomic<int> m_refs{1};
};

// Telemetry id of the calling task, 0 on an ordinary thread.
inline uint64_t current_task_id() noexcept {
    TaskControl* g = current_task();
    return g ? g->id : 0;
}

}  // namespace cs::rt
