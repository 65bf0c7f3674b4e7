#include "telemetry/event.h"

#include <algorithm>

namespace cs::telemetry {

const char* to_string(EventKind k) noexcept {
    switch (k) {
        case EventKind::task_spawn:
            return "spawn";
        case EventKind::task_run:
            return "run";
        case EventKind::task_block:
            return "block";
        case EventKind::task_wake:
            return "wake";
        case EventKind::task_done:
            return "done";
        case EventKind::chan_send:
            return "send";
        case EventKind::chan_recv:
            return "recv";
        case EventKind::chan_close:
            return "close";
        case EventKind::deadlock:
            return "deadlock";
    }
    return "?";
}

void sort_by_time(std::vector<Event>& events) {
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.ticks < b.ticks; });
}

}  // namespace cs::telemetry
