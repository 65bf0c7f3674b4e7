#pragma once
// Item: the unit of work that flows through every pattern — a job for a worker pool, a message
// through a pipeline. Carries what the report needs: an id, when it entered the system (for
// end-to-end latency), a sequence number (for ordered stages) and a weight (for weighted
// semaphores).
#include <cstdint>

#include "runtime/clock.h"

namespace cs::patterns {

struct Item {
    uint64_t id = 0;
    uint64_t seq = 0;         // position in the source's stream; ordered stages restore it
    int64_t value = 0;        // payload the stages transform
    int64_t weight = 1;       // units a weighted semaphore charges for it
    rt::TimePoint created{};  // engine clock time at the source
};

}  // namespace cs::patterns
