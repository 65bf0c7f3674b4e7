#pragma once
// What a task is doing, as telemetry and the deadlock report show it.
#include <cstdint>

namespace cs::rt {

enum class TaskState : uint8_t { runnable, running, blocked, done };

// Why a blocked task is blocked. `none` for tasks that are not blocked.
enum class WaitReason : uint8_t {
    none,
    send,
    recv,
    select,
    sleep,
    semaphore,
    limiter,
    mutex,
    wait_group,
    io,
    join,
};

const char* to_string(TaskState s) noexcept;
const char* to_string(WaitReason r) noexcept;

}  // namespace cs::rt
