#pragma once
// TimerQueue: every pending timer of one engine (sleeps, `after` channels, tickers, deadlines),
// in an intrusive min-heap ordered by (deadline, arming order) so that timers due at the same
// instant fire in a reproducible order. Thread-safe.
//
// Timers fire on whichever thread drives the queue: the engine's timer thread in scaled mode,
// the scheduler's only worker in deterministic mode. A fire callback runs without the heap lock
// and must not block.
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "runtime/clock.h"

namespace cs::rt {

struct TimerNode {
    using FireFn = void (*)(TimerNode*);

    TimePoint when{};
    Duration period{0};  // 0: one-shot; > 0: re-armed `period` after each deadline (a ticker)
    FireFn fire = nullptr;
    FireFn dispose = nullptr;  // runtime-owned nodes: frees one still pending at engine shutdown

    // Owned by TimerQueue.
    int32_t heap_index = -1;
    uint64_t order = 0;
};

class TimerQueue {
  public:
    void add(TimerNode* t);
    // Removes a pending timer. Once it returns, `t`'s callback is not running and will not run,
    // so the caller may free it. Returns false if the timer was not pending (already fired).
    bool remove(TimerNode* t);

    std::optional<TimePoint> next_deadline() const;

    // Fires every timer due at or before `now`; returns how many fired.
    size_t fire_due(TimePoint now);

    // Timers armed and not yet finished firing: a deadlock needs this to be zero.
    size_t pending() const;

    // Removes every pending timer and calls its dispose hook (engine shutdown).
    void dispose_all();

  private:
    bool less(const TimerNode* a, const TimerNode* b) const;
    void sift_up(size_t i);
    void sift_down(size_t i);
    void erase_at(size_t i);

    mutable std::mutex m_mu;
    std::mutex m_fire_mu;  // held while callbacks run, so remove() can wait them out
    std::vector<TimerNode*> m_heap;
    uint64_t m_next_order = 0;
    size_t m_firing = 0;
};

}  // namespace cs::rt
