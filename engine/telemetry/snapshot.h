#pragma once
// Snapshot: an immutable picture of one engine at one instant — every live task with its state
// and what it waits on, every channel with len/cap and counters, semaphores, rate limiters, the
// events since the previous snapshot and how many were dropped. The UI and reports read only
// snapshots; they never touch engine objects.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cache/cache_stats.h"
#include "patterns/latency_histogram.h"
#include "runtime/clock.h"
#include "runtime/deadlock_report.h"
#include "runtime/task_state.h"
#include "telemetry/cache_event_log.h"
#include "telemetry/event.h"

namespace cs::telemetry {

struct TaskInfo {
    uint64_t id;
    std::string name;
    rt::TaskState state;
    rt::WaitReason reason;
    uint64_t wait_object;  // telemetry id of what it waits on (0: none)
};

struct ChannelInfo {
    uint64_t id;
    std::string name;
    size_t len;
    size_t cap;
    bool closed;
    bool internal;  // the runtime's own (a timer's, a context's done), not the program's
    uint64_t sends;
    uint64_t recvs;
    size_t waiting_senders;
    size_t waiting_receivers;
    int64_t send_blocked_ns;  // total time senders spent parked on it
    int64_t recv_blocked_ns;
};

struct SemaphoreInfo {
    uint64_t id;
    std::string name;
    int64_t size;
    int64_t held;
    size_t waiters;
    uint64_t acquisitions;
    int64_t blocked_ns;
};

struct LimiterInfo {
    uint64_t id;
    std::string name;
    double limit;  // tokens per second (may be infinity)
    int64_t burst;
    double tokens;
    uint64_t allowed;
    uint64_t denied;
    uint64_t waited;
};

struct CacheInfo {
    uint64_t id;
    std::string name;
    std::string policy;  // "wtinylfu", "lru", ... or "redis"
    uint64_t capacity;   // entries or cost units
    cache::CacheStats stats;
    patterns::LatencySummary load_latency;  // loads from its origin, since the start
};

struct Snapshot {
    uint64_t seq = 0;      // increases by one per snapshot of this engine
    rt::TimePoint time{};  // the engine clock
    double speed = 1.0;
    bool paused = false;
    int workers = 0;
    size_t runnable = 0;            // tasks queued to run
    size_t blocking_in_flight = 0;  // calls on the blocking pool
    std::vector<TaskInfo> tasks;    // sorted by id
    std::vector<ChannelInfo> channels;
    std::vector<SemaphoreInfo> semaphores;
    std::vector<LimiterInfo> limiters;
    std::vector<CacheInfo> caches;
    std::vector<CacheEvent> cache_events;  // since the previous snapshot, oldest first
    uint64_t dropped_cache_events = 0;
    std::vector<Event> events;    // since the previous snapshot, oldest first
    uint64_t dropped_events = 0;  // lost so far (full rings, unread backlog)
    std::optional<rt::DeadlockReport> deadlock;
    size_t task_errors = 0;

    const ChannelInfo* find_channel(uint64_t id) const;
    size_t count_in_state(rt::TaskState s) const;
};

}  // namespace cs::telemetry
