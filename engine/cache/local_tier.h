#pragma once
// LocalTier: a LocalCache as a CacheTier. Every call completes without parking.
#include "cache/cache_tier.h"
#include "cache/local_cache.h"

namespace cs::cache {

class LocalTier final : public CacheTier {
  public:
    explicit LocalTier(LocalCache& cache) : m_cache(cache) {}

    const std::string& tier_name() const noexcept override { return m_cache.name(); }
    rt::Task<std::optional<std::string>> get(std::string key) override;
    rt::Task<std::optional<std::string>> peek(std::string key) override;
    void record(Access access) override { m_cache.record(access); }
    rt::Task<bool> set(std::string key, std::string value, Ttl ttl) override;
    rt::Task<bool> remove(std::string key) override;
    rt::Task<bool> invalidate(std::string key) override;
    void record_load(bool succeeded, rt::Duration took) override {
        m_cache.record_load(succeeded, took);
    }
    CacheStats tier_stats() const override { return m_cache.stats(); }

    LocalCache& cache() noexcept { return m_cache; }

  private:
    LocalCache& m_cache;
};

}  // namespace cs::cache
