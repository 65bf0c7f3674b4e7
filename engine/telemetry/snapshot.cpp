#include "telemetry/snapshot.h"

#include <algorithm>

namespace cs::telemetry {

const ChannelInfo* Snapshot::find_channel(uint64_t id) const {
    for (const ChannelInfo& c : channels) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

size_t Snapshot::count_in_state(rt::TaskState s) const {
    return static_cast<size_t>(
        std::count_if(tasks.begin(), tasks.end(), [s](const TaskInfo& t) { return t.state == s; }));
}

}  // namespace cs::telemetry
