#pragma once
// ChanCore: the part of a channel that does not depend on its element type — lock, wait queues,
// counters, telemetry identity, reference count. Snapshots and select work on it.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/park.h"
#include "runtime/spin_lock.h"
#include "runtime/wait_queue.h"
#include "telemetry/registry.h"

namespace cs::telemetry {
class Telemetry;
}

namespace cs::rt {

// Exact per-channel counters (relaxed atomics, written under the channel lock).
struct ChanCounters {
    std::atomic<uint64_t> sends{0};
    std::atomic<uint64_t> recvs{0};
    BlockedTicks send_blocked{0};  // time senders spent parked, telemetry ticks
    BlockedTicks recv_blocked{0};  // time receivers spent parked, telemetry ticks
};

class ChanCore : public telemetry::Observed {
public:
    ChanCore(size_t capacity, std::string name);
    virtual ~ChanCore();
    ChanCore(const ChanCore&) = delete;
    ChanCore& operator=(const ChanCore&) = delete;

    size_t cap() const noexcept { return m_cap; }
    size_t len() const noexcept { return m_count.load(std::memory_order_relaxed); }
    bool closed() const noexcept { return m_closed.load(std::memory_order_relaxed); }
    uint64_t id() const noexcept { return telemetry_id; }
    const ChanCounters& counters() const noexcept { return m_counters; }

    // Waiters right now (snapshot gauges; taken under the lock).
    size_t waiting_senders() const;
    size_t waiting_receivers() const;

    void add_ref() noexcept { m_refs.fetch_add(1, std::memory_order_relaxed); }
    void drop_ref() noexcept {
        if (m_refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

    // Used by Chan<T> and select.
    SpinLock mu;
    WaitQueue sendq;
    WaitQueue recvq;

protected:
    static void bump(std::atomic<uint64_t>& c) noexcept {
        c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    void note_send() noexcept;  // counter, and a trace event at trace level
    void note_recv() noexcept;
    void note_close() noexcept;

    const size_t m_cap;
    std::atomic<size_t> m_count{0};
    std::atomic<bool> m_closed{false};
    ChanCounters m_counters;
    telemetry::Telemetry* m_telemetry;  // null when created outside any engine

private:
    std::atomic<int> m_refs{1};
};

// Telemetry id of the calling task, 0 on an ordinary thread.
inline uint64_t current_task_id() noexcept {
    TaskControl* g = current_task();
    return g ? g->id : 0;
}

}  // namespace cs::rt
