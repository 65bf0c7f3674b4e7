#include "runtime/task_state.h"

namespace cs::rt {

const char* to_string(TaskState s) noexcept {
    switch (s) {
        case TaskState::runnable:
            return "runnable";
        case TaskState::running:
            return "running";
        case TaskState::blocked:
            return "blocked";
        case TaskState::done:
            return "done";
    }
    return "?";
}

const char* to_string(WaitReason r) noexcept {
    switch (r) {
        case WaitReason::none:
            return "none";
        case WaitReason::send:
            return "send";
        case WaitReason::recv:
            return "recv";
        case WaitReason::select:
            return "select";
        case WaitReason::sleep:
            return "sleep";
        case WaitReason::semaphore:
            return "semaphore";
        case WaitReason::limiter:
            return "limiter";
        case WaitReason::mutex:
            return "mutex";
        case WaitReason::wait_group:
            return "wait group";
        case WaitReason::io:
            return "I/O";
        case WaitReason::join:
            return "join";
    }
    return "?";
}

}  // namespace cs::rt
