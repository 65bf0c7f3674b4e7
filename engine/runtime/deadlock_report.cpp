#include "runtime/deadlock_report.h"

namespace cs::rt {

std::string DeadlockReport::to_string() const {
    std::string out = "all tasks are asleep - deadlock!";
    for (const Waiter& w : waiters) {
        out += "\n  task " + std::to_string(w.task_id) + " '" + w.task_name + "': blocked on " +
               rt::to_string(w.reason);
        out += w.object_name.empty() ? " (nothing can wake it)" : " " + w.object_name;
    }
    return out;
}

}  // namespace cs::rt
