#include "telemetry/cache_event_log.h"

namespace cs::telemetry {

const char* to_string(CacheEvent::Kind k) noexcept {
    switch (k) {
        case CacheEvent::Kind::removal:
            return "removal";
        case CacheEvent::Kind::invalidation:
            return "invalidation";
        case CacheEvent::Kind::version_bump:
            return "version_bump";
    }
    return "?";
}

CacheEventLog::CacheEventLog(size_t capacity) : m_capacity(capacity == 0 ? 1 : capacity) {}

void CacheEventLog::record(CacheEvent event) {
    std::lock_guard lock(m_mu);
    if (m_events.size() == m_capacity) {
        m_events.pop_front();
        ++m_dropped;
    }
    m_events.push_back(std::move(event));
}

std::vector<CacheEvent> CacheEventLog::take_recent() {
    std::lock_guard lock(m_mu);
    std::vector<CacheEvent> out(std::make_move_iterator(m_events.begin()),
                                std::make_move_iterator(m_events.end()));
    m_events.clear();
    return out;
}

uint64_t CacheEventLog::dropped() const {
    std::lock_guard lock(m_mu);
    return m_dropped;
}

}  // namespace cs::telemetry
