#pragma once
// DelayedTier: a real tier (a LocalTier) whose sets of chosen values take engine-clock time, as
// a remote tier's do. With it a test can make one writer's cache set land after another's —
// the race the write patterns must survive — on purpose instead of by luck.
#include <atomic>
#include <functional>
#include <string>

#include "cache/cache_tier.h"
#include "runtime/timers.h"

namespace cs::test {

class DelayedTier final : public cache::CacheTier {
  public:
    // delay_of(value): how long a set of that value takes; 0: none.
    DelayedTier(cache::CacheTier& inner, std::function<rt::Duration(const std::string&)> delay_of)
        : m_inner(inner), m_delay_of(std::move(delay_of)) {}

    const std::string& tier_name() const noexcept override { return m_inner.tier_name(); }
    rt::Task<std::optional<std::string>> get(std::string key) override {
        return m_inner.get(std::move(key));
    }
    rt::Task<std::optional<std::string>> peek(std::string key) override {
        return m_inner.peek(std::move(key));
    }
    void record(cache::Access access) override { m_inner.record(access); }
    rt::Task<bool> set(std::string key, std::string value, cache::Ttl ttl) override {
        const rt::Duration delay = m_delay_of(value);
        if (delay > rt::Duration::zero()) delayed_sets.fetch_add(1);
        co_await rt::sleep_for(delay);
        co_return co_await m_inner.set(std::move(key), std::move(value), ttl);
    }
    rt::Task<bool> remove(std::string key) override { return m_inner.remove(std::move(key)); }
    rt::Task<bool> invalidate(std::string key) override {
        return m_inner.invalidate(std::move(key));
    }
    void record_load(bool succeeded, rt::Duration took) override {
        m_inner.record_load(succeeded, took);
    }
    cache::CacheStats tier_stats() const override { return m_inner.tier_stats(); }

    std::atomic<int> delayed_sets{0};  // sets that started a delay

  private:
    cache::CacheTier& m_inner;
    std::function<rt::Duration(const std::string&)> m_delay_of;
};

}  // namespace cs::test
