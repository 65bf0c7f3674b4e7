#include "redis/redis_cache.h"

#include <algorithm>

#include "engine.h"
#include "redis/redis_error.h"

namespace cs::redis {

RedisCache::RedisCache(RedisRouter& redis, RedisCacheOptions options)
    : m_redis(redis), m_engine(nullptr), m_options(std::move(options)) {}

RedisCache::RedisCache(Engine& engine, RedisRouter& redis, RedisCacheOptions options)
    : m_redis(redis), m_engine(&engine), m_options(std::move(options)) {
    telemetry_name = m_options.name;
    telemetry_kind = Kind::cache;
    m_engine->telemetry().register_object(this);
}

RedisCache::~RedisCache() {
    if (m_engine) m_engine->telemetry().unregister_object(this);
}

Command RedisCache::set_command(const std::string& key, std::string value,
                                const cache::Ttl& ttl) const {
    Command c{"SET", key_in_redis(key), std::move(value)};
    std::optional<rt::Duration> life;
    if (ttl.kind() == cache::Ttl::Kind::custom) life = ttl.duration();
    if (ttl.kind() == cache::Ttl::Kind::cache_default) life = m_options.default_ttl;
    if (life) {
        auto ms = std::chrono::ceil<std::chrono::milliseconds>(*life).count();
        c.insert(c.end(), {"PX", std::to_string(std::max<long long>(1, ms))});
    }
    return c;
}

rt::Task<std::optional<std::string>> RedisCache::peek(std::string key) {
    std::string k = key_in_redis(key);
    Command get{"GET", k};
    Reply r = co_await m_redis.command_for(std::move(k), std::move(get));
    if (r.is_nil()) co_return std::nullopt;
    co_return std::move(r.str);
}

rt::Task<std::optional<std::string>> RedisCache::get(std::string key) {
    std::optional<std::string> value = co_await peek(std::move(key));
    record(value ? cache::Access::hit : cache::Access::miss);
    co_return value;
}

rt::Task<std::vector<std::optional<std::string>>> RedisCache::mget(std::vector<std::string> keys) {
    std::vector<std::optional<std::string>> values;
    if (keys.empty()) co_return values;
    std::vector<KeyedCommand> gets;
    gets.reserve(keys.size());
    for (std::string& k : keys) {
        std::string in_redis = key_in_redis(k);
        Command get{"GET", in_redis};
        gets.push_back({std::move(in_redis), std::move(get)});
    }
    std::vector<Reply> replies = co_await m_redis.pipeline_for(std::move(gets));
    for (Reply& r : replies) {
        if (r.is_error()) throw RedisError(RedisErrorKind::reply_error, r.str);
        if (r.is_nil()) {
            values.emplace_back();
        } else {
            values.emplace_back(std::move(r.str));
        }
        record(values.back() ? cache::Access::hit : cache::Access::miss);
    }
    co_return values;
}

void RedisCache::record(cache::Access access) {
    m_recorded.record(access);
}

rt::Task<bool> RedisCache::set(std::string key, std::string value, cache::Ttl ttl) {
    Command set = set_command(key, std::move(value), ttl);
    co_await m_redis.command_for(key_in_redis(key), std::move(set));
    co_return true;
}

rt::Task<bool> RedisCache::del(std::string key, cache::RemovalCause cause) {
    std::string k = key_in_redis(key);
    Command del{"DEL", k};
    Reply r = co_await m_redis.command_for(std::move(k), std::move(del));
    bool removed = r.integer > 0;
    if (removed) m_removals[size_t(cause)].fetch_add(1, std::memory_order_relaxed);
    co_return removed;
}

rt::Task<bool> RedisCache::remove(std::string key) {
    bool removed = co_await del(std::move(key), cache::RemovalCause::explicit_);
    co_return removed;
}

rt::Task<bool> RedisCache::invalidate(std::string key) {
    bool removed = co_await del(std::move(key), cache::RemovalCause::invalidated);
    co_return removed;
}

void RedisCache::record_load(bool succeeded, rt::Duration took) {
    m_recorded.record_load(succeeded, took);
}

cache::CacheStats RedisCache::stats() const {
    cache::CacheStats s;
    m_recorded.add_to(s);
    for (size_t i = 0; i < cache::removal_cause_count; ++i)
        s.removals[i] = m_removals[i].load(std::memory_order_relaxed);
    return s;
}

}  // namespace cs::redis
