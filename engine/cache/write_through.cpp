#include "cache/write_through.h"

#include <exception>
#include <utility>

namespace cs::cache {

// From a call's start until finish() (or destruction: a task destroyed while parked, at engine
// shutdown, must not leave its key looking busy for good).
class WriteThrough::CallScope {
  public:
    CallScope(WriteThrough& owner, const std::string& key) : m_owner(owner), m_key(key) {
        std::lock_guard lock(m_owner.m_mu);
        KeyCalls& calls = m_owner.m_calls[m_key];
        m_overlapped = calls.active > 0;
        ++calls.active;
        m_started_as = ++calls.started;
    }
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;
    ~CallScope() { finish(); }

    // Ends the call; true if another call of the key was in progress at any time during it.
    bool finish() {
        if (m_done) return m_overlapped;
        m_done = true;
        std::lock_guard lock(m_owner.m_mu);
        auto it = m_owner.m_calls.find(m_key);
        // A later start bumped `started` past ours: it ran while we did.
        if (it->second.started != m_started_as) m_overlapped = true;
        if (--it->second.active == 0) m_owner.m_calls.erase(it);
        return m_overlapped;
    }

  private:
    WriteThrough& m_owner;
    const std::string& m_key;  // the coroutine's parameter, alive as long as the scope
    uint64_t m_started_as = 0;
    bool m_overlapped = false;
    bool m_done = false;
};

WriteThrough::WriteThrough(CacheTier& tier, Origin& origin, WriteThroughOptions options)
    : m_tier(tier), m_origin(origin), m_options(std::move(options)) {}

rt::Task<void> WriteThrough::write(std::string key, std::string value) {
    CallScope call(*this, key);
    // co_await is not allowed in a handler: keep the error, react after it.
    std::exception_ptr failure;
    try {
        co_await m_origin.store(key, value);
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) {
        m_failed_writes.fetch_add(1, std::memory_order_relaxed);
        co_await invalidate_quietly(key);
        std::rethrow_exception(failure);
    }

    try {
        (void)co_await m_tier.set(key, value, m_options.ttl);  // refused by admission: a miss
    } catch (...) {
        failure = std::current_exception();
    }
    // Checked after our set, so that an overlapping call's set can never land after both our
    // set and our check: whichever of the two sets lands last, an invalidation follows it.
    const bool overlapped = call.finish();
    if (failure) {
        m_cache_failures.fetch_add(1, std::memory_order_relaxed);
        co_await invalidate_quietly(key);
        std::rethrow_exception(failure);
    }
    if (overlapped) {
        m_contended.fetch_add(1, std::memory_order_relaxed);
        co_await invalidate_quietly(key);
    }
    m_writes.fetch_add(1, std::memory_order_relaxed);
}

rt::Task<bool> WriteThrough::erase(std::string key) {
    // Registered although an erase ends with the key gone anyway: a write overlapping it must
    // learn of it, or its set could land after our removal and outlive the origin's row.
    CallScope call(*this, key);
    std::exception_ptr failure;
    bool existed = false;
    try {
        existed = co_await m_origin.erase(key);
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) {
        m_failed_erases.fetch_add(1, std::memory_order_relaxed);
        co_await invalidate_quietly(key);
        std::rethrow_exception(failure);
    }
    try {
        (void)co_await m_tier.remove(key);
    } catch (...) {
        failure = std::current_exception();
    }
    call.finish();
    if (failure) {
        m_cache_failures.fetch_add(1, std::memory_order_relaxed);
        co_await invalidate_quietly(key);
        std::rethrow_exception(failure);
    }
    m_erases.fetch_add(1, std::memory_order_relaxed);
    co_return existed;
}

rt::Task<void> WriteThrough::invalidate_quietly(const std::string& key) {
    try {
        (void)co_await m_tier.invalidate(key);
    } catch (...) {
        // The caller is already reporting an error; a tier that cannot even invalidate has
        // nothing to add to it.
    }
}

WriteThroughStats WriteThrough::stats() const {
    WriteThroughStats s;
    s.writes = m_writes.load(std::memory_order_relaxed);
    s.failed_writes = m_failed_writes.load(std::memory_order_relaxed);
    s.erases = m_erases.load(std::memory_order_relaxed);
    s.failed_erases = m_failed_erases.load(std::memory_order_relaxed);
    s.contended = m_contended.load(std::memory_order_relaxed);
    s.cache_failures = m_cache_failures.load(std::memory_order_relaxed);
    return s;
}

}  // namespace cs::cache
