#pragma once
// Event: one state change pushed into a per-thread ring (32 bytes, trivially copyable).
#include <cstdint>
#include <vector>

#include "runtime/task_state.h"

namespace cs::telemetry {

enum class EventKind : uint8_t {
    task_spawn,  // task = new task, object = spawning task (0 from a thread)
    task_run,    // task starts or resumes running on worker `aux`
    task_block,  // task parks: reason, object = what it waits on
    task_wake,   // task made runnable by `object`'s operation
    task_done,   // task finished (aux = 1 if it threw)
    chan_send,   // trace level: a value sent on channel `object` by `task`; aux = flow id
    chan_recv,   // trace level: a value received; aux = flow id of the matching send
    chan_close,  // channel `object` closed by `task`
    deadlock,    // the scheduler found every task parked
};

struct Event {
    int64_t ticks;
    uint64_t task;
    uint64_t object;
    uint32_t aux;
    EventKind kind;
    rt::WaitReason reason;
    uint16_t reserved = 0;
};
static_assert(sizeof(Event) == 32);

const char* to_string(EventKind k) noexcept;

// Puts events from several rings into the order they happened. Rings are drained one after
// another, and a worker publishes a park only with the next run, so drained order is not time
// order. Stable: a ring's events with equal ticks (a park and the run it hands over to) keep
// their order.
void sort_by_time(std::vector<Event>& events);

}  // namespace cs::telemetry
