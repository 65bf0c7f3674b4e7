#include "cache/cache_stats.h"

namespace cs::cache {

const char* to_string(RemovalCause c) noexcept {
    switch (c) {
        case RemovalCause::size:
            return "size";
        case RemovalCause::expired:
            return "expired";
        case RemovalCause::explicit_:
            return "explicit";
        case RemovalCause::replaced:
            return "replaced";
        case RemovalCause::invalidated:
            return "invalidated";
    }
    return "?";
}

double CacheStats::hit_ratio() const noexcept {
    uint64_t requests = hits + misses;
    return requests ? double(hits) / double(requests) : 0.0;
}

CacheStats CacheStats::since(const CacheStats& e) const noexcept {
    CacheStats d = *this;
    d.hits -= e.hits;
    d.misses -= e.misses;
    d.stale_served -= e.stale_served;
    d.loads -= e.loads;
    d.load_failures -= e.load_failures;
    d.total_load_time -= e.total_load_time;
    for (size_t i = 0; i < removal_cause_count; ++i) d.removals[i] -= e.removals[i];
    d.cost_added -= e.cost_added;
    d.cost_evicted -= e.cost_evicted;
    return d;
}

}  // namespace cs::cache
