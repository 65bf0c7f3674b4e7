#include "cache/local_tier.h"

namespace cs::cache {

rt::Task<std::optional<std::string>> LocalTier::get(std::string key) {
    co_return m_cache.get(key);
}

rt::Task<std::optional<std::string>> LocalTier::peek(std::string key) {
    co_return m_cache.peek(key);
}

rt::Task<bool> LocalTier::set(std::string key, std::string value, Ttl ttl) {
    co_return m_cache.set(key, std::move(value), ttl);
}

rt::Task<bool> LocalTier::remove(std::string key) {
    co_return m_cache.remove(key);
}

rt::Task<bool> LocalTier::invalidate(std::string key) {
    co_return m_cache.invalidate(key);
}

}  // namespace cs::cache
