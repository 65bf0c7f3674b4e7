#pragma once
// ObservedCache: what every cache shows the engine's telemetry — its name (through Observed),
// its policy, its capacity, its stats and its load latency — so Engine::snapshot() can list caches of any kind
// (local, Redis, near) side by side.
#include <cstdint>
#include <string>

#include "cache/cache_stats.h"
#include "patterns/latency_histogram.h"
#include "telemetry/registry.h"

namespace cs::cache {

class ObservedCache : public telemetry::Observed {
  public:
    virtual ~ObservedCache() = default;
    virtual CacheStats stats() const = 0;
    virtual std::string policy_name() const = 0;
    virtual uint64_t capacity() const = 0;
    // How long loads from the origin took, since the start.
    virtual patterns::LatencySummary load_latency() const = 0;
};

}  // namespace cs::cache
