#pragma once
// DeadlockReport: what the scheduler says when every task is parked and nothing can wake any of
// them ("all tasks are asleep"): each task and what it waits on.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/task_state.h"

namespace cs::rt {

struct DeadlockReport {
    struct Waiter {
        uint64_t task_id;
        std::string task_name;
        WaitReason reason;
        uint64_t object_id;  // telemetry id of the object waited on (0: none, e.g. nil channel)
        std::string object_name;  // e.g. "chan jobs"
    };
    std::vector<Waiter> waiters;

    // "all tasks are asleep - deadlock!\n  task 3 'producer': blocked on send to chan jobs\n..."
    std::string to_string() const;
};

}  // namespace cs::rt
