#include "telemetry/telemetry.h"

namespace cs::telemetry {
namespace {

std::atomic<uint64_t> g_next_uid{1};

}  // namespace

Telemetry::Telemetry(TelemetryOptions options)
    : m_options(options), m_uid(g_next_uid.fetch_add(1)), m_level(options.level) {}

Telemetry::~Telemetry() = default;

EventRing& Telemetry::ring_for_this_thread() {
    if (t_ring.owner_uid == m_uid) return *t_ring.ring;
    auto ring = std::make_shared<EventRing>(m_options.ring_capacity);
    {
        std::lock_guard lock(m_rings_mu);
        m_rings.push_back(ring);
    }
    t_ring = {m_uid, ring.get()};
    return *ring;
}

void Telemetry::collect() {
    std::lock_guard collect_lock(m_collect_mu);
    m_scratch.clear();
    {
        std::lock_guard lock(m_rings_mu);
        for (auto& ring : m_rings) ring->drain(m_scratch);
    }
    if (m_scratch.empty()) return;
    if (m_recording) m_recorded.insert(m_recorded.end(), m_scratch.begin(), m_scratch.end());
    for (const Event& e : m_scratch) m_recent.push_back(e);
    while (m_recent.size() > m_options.recent_capacity) {
        m_recent.pop_front();
        if (m_has_reader) ++m_recent_evicted;
    }
}

std::vector<Event> Telemetry::take_recent() {
    collect();
    std::lock_guard lock(m_collect_mu);
    m_has_reader = true;
    std::vector<Event> out(m_recent.begin(), m_recent.end());
    m_recent.clear();
    sort_by_time(out);
    return out;
}

void Telemetry::register_object(Observed* o) {
    o->telemetry_id = new_id();
    m_registry.add(o);
    if (recording()) remember_name(o->telemetry_id, describe(*o));
}

void Telemetry::start_recording() {
    collect();  // what happened before the start is not part of the trace
    std::lock_guard lock(m_collect_mu);
    m_recording = true;
    m_recording_flag.store(true, std::memory_order_relaxed);
    m_recorded.clear();
}

std::vector<Event> Telemetry::stop_recording() {
    collect();
    std::lock_guard lock(m_collect_mu);
    m_recording = false;
    m_recording_flag.store(false, std::memory_order_relaxed);
    std::vector<Event> recorded = std::move(m_recorded);
    m_recorded.clear();
    sort_by_time(recorded);
    return recorded;
}

void Telemetry::remember_name(uint64_t id, std::string name) {
    std::lock_guard lock(m_names_mu);
    m_names[id] = std::move(name);
}

std::string Telemetry::remembered_name(uint64_t id) const {
    {
        std::lock_guard lock(m_names_mu);
        if (auto it = m_names.find(id); it != m_names.end()) return it->second;
    }
    return m_registry.describe_object(id);
}

uint64_t Telemetry::dropped() const {
    uint64_t n = 0;
    {
        std::lock_guard lock(m_rings_mu);
        for (const auto& ring : m_rings) n += ring->dropped();
    }
    std::lock_guard lock(m_collect_mu);
    return n + m_recent_evicted;
}

}  // namespace cs::telemetry
