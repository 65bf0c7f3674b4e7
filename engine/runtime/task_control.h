#pragma once
// TaskControl: the runtime's record of one spawned task (Go's `g`): identity, where to resume
// it, its state for telemetry, and its completion for joiners. It lives inside the task's root
// coroutine frame, so spawning makes no allocation beyond the frames themselves.
#include <atomic>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <string>

#include "runtime/spin_lock.h"
#include "runtime/task_state.h"
#include "runtime/wait_queue.h"

namespace cs::telemetry {
class Telemetry;
}

namespace cs::rt {

class Scheduler;
class BlockedTime;

// What a JoinHandle holds: outlives the task's frame, so a handle stays valid after the task
// ends or the engine stops.
struct Completion {
    SpinLock mu;
    bool finished = false;
    std::exception_ptr error;
    uint64_t task_id = 0;
    WaitQueue joiners;
    std::atomic<int> refs{2};  // the task and the first handle

    void release() noexcept {
        if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }
    // Marks it finished, drops the task's reference and wakes every joiner (in spawn.cpp).
    void finish_and_release(std::exception_ptr err) noexcept;
};

// A finished task's outcome on its way to its joiners, delivered after the task's frame is
// destroyed: joiners woken earlier could still be reading the task's exception while the frame
// releases its own references to it (a race as ThreadSanitizer sees it, since libstdc++'s count
// is not instrumented). After the frame, the last holder is the completion, and
// finish_and_release() leaves its last release to a joiner, the thread that read the exception.
struct TaskOutcome {
    Completion* completion = nullptr;  // none: nobody joins (go())
    std::exception_ptr error;
    void deliver() noexcept;  // defined in scheduler.cpp
};

struct TaskControl {
    uint64_t id = 0;
    std::string name;
    Scheduler* sched = nullptr;
    telemetry::Telemetry* tel = nullptr;  // the scheduler's, one load closer on every park and wake
    std::coroutine_handle<> resume_point;  // where the scheduler continues it
    std::coroutine_handle<> root;          // the frame that holds this record; destroyed at the end

    // Telemetry: written by the task itself or by whoever wakes it, read by snapshots.
    std::atomic<TaskState> state{TaskState::runnable};
    std::atomic<WaitReason> wait_reason{WaitReason::none};
    std::atomic<uint64_t> wait_object{0};  // telemetry id of the object waited on; 0 = none
    int64_t parked_at = 0;                 // telemetry ticks when it last parked
    BlockedTime* charge_to = nullptr;      // set by the waker: where the parked time goes

    // Registry linkage (guarded by the registry shard lock).
    TaskControl* reg_prev = nullptr;
    TaskControl* reg_next = nullptr;

    // Completion for joiners; only tasks started with spawn() (not go()) have one.
    struct Completion* completion = nullptr;
    std::exception_ptr error;

    std::string display_name() const { return name.empty() ? "task-" + std::to_string(id) : name; }
};

// The task running on this thread, or nullptr on an ordinary thread.
TaskControl* current_task() noexcept;

}  // namespace cs::rt
