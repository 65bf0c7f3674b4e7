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
// Timestamp of the park that just ended this worker's time slice, reused for the next task's
// run event so that a switch costs one clock read.
inline thread_local int64_t t_switch_ticks = 0;
// The park event of that slice: written by the worker loop together with the next task's run
// event (one ring publication per switch), or on its own before the worker sleeps.
struct PendingBlock {
    uint64_t task = 0;  // 0: none pending
    uint64_t object = 0;
    WaitReason reason = WaitReason::none;
};
inline thread_local PendingBlock t_pending_block;
}  // namespace detail

inline void park_current(TaskControl* g, std::coroutine_handle<> resume, WaitReason reason,
                         uint64_t object) noexcept {
    g->resume_point = resume;
    g->wait_reason.store(reason, std::memory_order_relaxed);
    g->wait_object.store(object, std::memory_order_relaxed);
    g->state.store(TaskState::blocked, std::memory_order_release);
    telemetry::Telemetry& tel = g->sched->telemetry();
    if (tel.enabled()) {
        int64_t ts = telemetry::now_ticks();
        g->parked_at = ts;
        detail::t_switch_ticks = ts;
        if (detail::t_pending_block.task)
            tel.record(telemetry::EventKind::task_block, detail::t_pending_block.task,
                       detail::t_pending_block.object, detail::t_pending_block.reason);
        detail::t_pending_block = {g->id, object, reason};
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
    telemetry::Telemetry& tel = g->sched->telemetry();
    if (tel.enabled()) {
        g->charge_to = blocked;
        if (tel.tracing()) tel.record(telemetry::EventKind::task_wake, g->id, by_object);
    }
    g->sched->ready(g);
}

// Requires being on a task: a blocking primitive awaited outside one is a programming error.
TaskControl* require_task(const char* operation);

}  // namespace cs::rt
