#pragma once
// Parking and waking a task: the two halves every blocking primitive uses.
//
//  - park_current(): called from an awaiter's await_suspend, under the primitive's lock, before
//    the task becomes visible to wakers. Records where to resume and what it waits on.
//  - Parker::wake(): called by whoever completes the wait (after dropping the lock): marks the
//    task runnable, charges the blocked time to the object, and hands it to the scheduler.
#include <atomic>
#include <coroutine>
#include <cstdint>

#include "runtime/blocked_time.h"
#include "runtime/scheduler.h"
#include "runtime/task_control.h"
#include "telemetry/ticks.h"

namespace cs::rt {

namespace detail {
// How this worker's current time slice ended. Its timestamp is reused as the next task's start,
// so a switch costs one clock read; the park event is written by the worker loop together with
// the next task's run event (one ring publication per switch), or alone before the worker sleeps.
struct SwitchRecord {
    int64_t ticks = 0;          // when the slice ended; 0: unknown (read the clock)
    uint64_t blocked_task = 0;  // the task that parked then, if its event is still unwritten
    uint64_t blocked_object = 0;
    WaitReason blocked_reason = WaitReason::none;

    telemetry::Event block_event() const noexcept {
        return {ticks,         blocked_task, blocked_object, 0, telemetry::EventKind::task_block,
                blocked_reason};
    }
};
inline thread_local SwitchRecord t_switch;

// Writes the park this thread has not published yet (if any) and forgets the slice end, so the
// next run reads the clock. Out of line: the hot paths only test for it.
[[gnu::cold]] void write_pending_park(telemetry::Telemetry& tel) noexcept;
}  // namespace detail

inline void park_current(TaskControl* g, std::coroutine_handle<> resume, WaitReason reason,
                         uint64_t object) noexcept {
    g->resume_point = resume;
    g->wait_reason.store(reason, std::memory_order_relaxed);
    g->wait_object.store(object, std::memory_order_relaxed);
    g->state.store(TaskState::blocked, std::memory_order_release);
    telemetry::Telemetry& tel = *g->tel;
    if (tel.enabled()) {
        detail::SwitchRecord& sw = detail::t_switch;
        if (sw.blocked_task) [[unlikely]]
            detail::write_pending_park(tel);  // a park the loop has not written yet
        int64_t ts = telemetry::now_ticks();
        g->parked_at = ts;
        sw = {ts, g->id, object, reason};
    }
}

// Wakes the parked task or thread. `by_object` is the telemetry id of the object whose operation
// woke it; `blocked` (may be null) is the object's counter that the time the task spent parked
// is charged to — when the task runs again, with the timestamp the scheduler takes anyway, so
// waking costs no clock read (the trace level records a timed wake event too).
inline void wake(Parker& p, uint64_t by_object, BlockedTime* blocked) noexcept {
    TaskControl* g = p.task;
    if (!g) {
        p.wake();
        return;
    }
    g->wait_reason.store(WaitReason::none, std::memory_order_relaxed);
    g->state.store(TaskState::runnable, std::memory_order_release);
    telemetry::Telemetry& tel = *g->tel;
    telemetry::Level level = tel.level();
    if (level != telemetry::Level::off) {
        g->charge_to = blocked;
        if (level == telemetry::Level::trace)
            tel.record(telemetry::EventKind::task_wake, g->id, by_object);
    }
    g->sched->ready(g);
}

// Requires being on a task: a blocking primitive awaited outside one is a programming error.
TaskControl* require_task(const char* operation);

}  // namespace cs::rt
