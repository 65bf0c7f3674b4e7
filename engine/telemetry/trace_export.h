#pragma once
// Chrome trace-event JSON (opens in Perfetto and chrome://tracing) from recorded events:
// one track per task named after it, a slice per state (running, blocked on recv ...), channel
// sends and receives as instants joined by flow arrows (trace level), deadlocks as global instants.
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "telemetry/event.h"

namespace cs::telemetry {

struct TraceNames {
    std::function<std::string(uint64_t task)> task;      // "producer"
    std::function<std::string(uint64_t object)> object;  // "chan jobs"
};

// `events` in time order, as Telemetry::stop_recording returns them.
void write_chrome_trace(std::ostream& out, const std::vector<Event>& events,
                        const TraceNames& names);

}  // namespace cs::telemetry
