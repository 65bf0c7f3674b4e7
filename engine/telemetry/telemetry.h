#pragma once
// Telemetry: one engine's registry, its id counter, and its event stream. Events go into a ring
// per producing thread (lock-free, never waits; a full ring drops and counts). A collector drains
// the rings into a bounded buffer of recent events and, while a trace is being recorded, into the
// trace. Thread-safe.
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "telemetry/cache_event_log.h"
#include "telemetry/event.h"
#include "telemetry/event_ring.h"
#include "telemetry/registry.h"
#include "telemetry/ticks.h"

namespace cs::telemetry {

enum class Level : uint8_t {
    off,    // counters only; no events, no blocked-time timestamps
    on,     // + task state changes (spawn, block, wake, run, done) and blocked time
    trace,  // + every channel send/recv as events (for flow arrows in a trace)
};

struct TelemetryOptions {
    Level level = Level::on;
    size_t ring_capacity = 1024;
    size_t recent_capacity = size_t{1} << 18;  // events kept for snapshots; older ones are dropped
};

class Telemetry {
  public:
    explicit Telemetry(TelemetryOptions options = {});
    ~Telemetry();

    Level level() const noexcept { return m_level.load(std::memory_order_relaxed); }
    bool enabled() const noexcept { return level() != Level::off; }
    bool tracing() const noexcept { return level() == Level::trace; }

    uint64_t new_id() noexcept { return m_next_id.fetch_add(1, std::memory_order_relaxed); }
    Registry& registry() noexcept { return m_registry; }
    const Registry& registry() const noexcept { return m_registry; }

    // Producer side: any thread. Drops (and counts) when this thread's ring is full.
    void record(EventKind kind, uint64_t task, uint64_t object,
                rt::WaitReason reason = rt::WaitReason::none, uint32_t aux = 0,
                int64_t ticks = 0) noexcept {
        ring().push(Event{ticks ? ticks : now_ticks(), task, object, aux, kind, reason});
    }
    void record(const Event& e) noexcept { ring().push(e); }
    // The calling thread's ring, for a producer that emits so often it keeps the reference (a
    // scheduler worker). Valid while this Telemetry lives.
    EventRing& ring() noexcept {
        return t_ring.owner_uid == m_uid ? *t_ring.ring : ring_for_this_thread();
    }

    // Collector side: moves everything the rings hold into the recent buffer and the trace.
    void collect();
    // Events collected since the previous call of take_recent, in time order.
    std::vector<Event> take_recent();

    // Registering an object: gives it an id, adds it to the registry, and remembers its name
    // while a trace is recording (the trace names objects that are gone by the time it is written).
    void register_object(Observed* o);
    void unregister_object(Observed* o) { m_registry.remove(o); }

    // Trace recording: every event collected between start and stop is kept; stop returns them
    // in time order.
    void start_recording();
    std::vector<Event> stop_recording();
    bool recording() const noexcept { return m_recording_flag.load(std::memory_order_relaxed); }
    void remember_name(uint64_t id, std::string name);
    std::string remembered_name(uint64_t id) const;

    // Events lost: dropped by full rings, plus (once someone reads recent events) evicted from
    // the recent buffer before they were read.
    uint64_t dropped() const;

    uint64_t uid() const noexcept { return m_uid; }

    // Evictions and invalidations of the engine's caches (strings, so a log of their own).
    CacheEventLog& cache_events() noexcept { return m_cache_events; }

  private:
    // This thread's ring for the telemetry instance it last emitted into. Keyed by the instance's
    // process-unique uid, not its address, because engines come and go (one per test).
    struct ThreadRing {
        uint64_t owner_uid;
        EventRing* ring;
    };
    static inline thread_local ThreadRing t_ring{0, nullptr};

    EventRing& ring_for_this_thread();

    const TelemetryOptions m_options;
    const uint64_t m_uid;
    std::atomic<Level> m_level;
    // Its own cache line: every spawn writes it, and every task switch reads m_level.
    alignas(64) std::atomic<uint64_t> m_next_id{1};
    alignas(64) Registry m_registry;

    mutable std::mutex m_rings_mu;
    std::vector<std::shared_ptr<EventRing>> m_rings;

    mutable std::mutex m_collect_mu;
    std::vector<Event> m_scratch;
    std::deque<Event> m_recent;
    uint64_t m_recent_evicted = 0;
    bool m_has_reader = false;
    bool m_recording = false;
    std::atomic<bool> m_recording_flag{false};
    std::vector<Event> m_recorded;
    mutable std::mutex m_names_mu;
    std::unordered_map<uint64_t, std::string> m_names;
    CacheEventLog m_cache_events;
};

}  // namespace cs::telemetry
