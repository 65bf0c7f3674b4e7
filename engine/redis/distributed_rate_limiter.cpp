#include "redis/distributed_rate_limiter.h"

#include <cmath>
#include <cstdio>
#include <string_view>

#include "redis/redis_error.h"
#include "redis/sha1.h"
#include "runtime/errors.h"

namespace cs::redis {

namespace {

constexpr double min_rate = 1.0 / 3600;
constexpr double max_rate = 1'000'000;
constexpr int64_t max_burst = 100'000;

// GCRA over one key. The key holds the theoretical arrival time (TAT): when the key would be
// back to a full burst, in microseconds of the server's clock. A request of cost c fits if,
// after pushing the TAT c intervals further, it is at most `burst` intervals ahead of now.
// The bounds on rate and burst keep every number below 2^53 (burst / rate is at most 11 years),
// where doubles (Lua's numbers) count microseconds exactly; fractional intervals round far
// below TIME's microsecond.
//
// KEYS[1]: the key. ARGV: interval (µs per request), burst, cost.
// Returns {allowed (0/1), remaining, retry_after µs, reset_after µs}, all integers.
constexpr const char* gcra_lua = R"lua(
-- TIME in a script that writes: Redis < 5 replicates a script verbatim (and refuses a write
-- after TIME) unless told to replicate its effects; 5 does that by default, 7 always.
if redis.replicate_commands then redis.replicate_commands() end
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local new_tat = tat + cost * interval
local spare = now - (new_tat - burst * interval)
if spare < 0 then
  -- Denied: what is left without this request (a smaller cost may still fit; none if another
  -- process uses the key with a smaller burst).
  local left = math.max(0, math.floor((spare + cost * interval) / interval))
  return {0, left, math.ceil(-spare), math.ceil(tat - now)}
end
local life = new_tat - now
redis.call('SET', KEYS[1], string.format('%.17g', new_tat), 'PX', math.ceil(life / 1000))
return {1, math.floor(spare / interval), 0, math.ceil(life)}
)lua";

const DistributedRateLimiterOptions& checked(const DistributedRateLimiterOptions& o) {
    if (!(o.rate >= min_rate && o.rate <= max_rate)) {  // NaN fails too
        char text[64];
        std::snprintf(text, sizeof text, "%g", o.rate);
        throw rt::InvalidArgument("distributed rate limiter rate: " + std::string(text) +
                                  " per second is out of range (allowed: 1/3600, one an hour, "
                                  ".. 1000000 per second)");
    }
    if (o.burst < 1 || o.burst > max_burst)
        rt::throw_out_of_range("distributed rate limiter burst", o.burst, "1 .. 100000");
    return o;
}

std::string interval_text(double rate) {
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", 1e6 / rate);
    return text;
}

// NOSCRIPT: the server does not have the script (new, restarted, or SCRIPT FLUSH). RedisError
// carries the server's text after the server's name, so the code is searched for.
bool is_noscript(const RedisError& e) {
    return e.kind() == RedisErrorKind::reply_error &&
           std::string_view(e.what()).find("NOSCRIPT") != std::string_view::npos;
}

}  // namespace

const std::string& DistributedRateLimiter::script() {
    static const std::string text = gcra_lua;
    return text;
}

const std::string& DistributedRateLimiter::script_sha1() {
    static const std::string digest = sha1_hex(script());
    return digest;
}

DistributedRateLimiter::DistributedRateLimiter(RedisRouter& redis,
                                               DistributedRateLimiterOptions options)
    : m_redis(redis), m_options(checked(options)), m_interval_us(interval_text(m_options.rate)) {}

std::string DistributedRateLimiter::checked_key(const std::string& key, int64_t cost) const {
    if (key.empty()) throw rt::InvalidArgument("distributed rate limiter key: it is empty");
    if (cost < 1 || cost > m_options.burst)
        rt::throw_out_of_range("distributed rate limiter cost", cost,
                               "1 .. the burst, " + std::to_string(m_options.burst));
    return m_options.key_prefix + key;
}

Command DistributedRateLimiter::script_call(bool by_digest, const std::string& key,
                                            int64_t cost) const {
    return {by_digest ? "EVALSHA" : "EVAL",
            by_digest ? script_sha1() : script(),
            "1",
            key,
            m_interval_us,
            std::to_string(m_options.burst),
            std::to_string(cost)};
}

RateLimitResult DistributedRateLimiter::counted(const Reply& r) {
    bool shaped = r.type == Reply::Type::array && r.elements.size() == 4;
    for (size_t i = 0; shaped && i < 4; ++i) shaped = r.elements[i].type == Reply::Type::integer;
    if (!shaped)
        throw RedisError(RedisErrorKind::protocol,
                         "distributed rate limiter: the script's answer is not its 4 integers");
    RateLimitResult result;
    result.allowed = r.elements[0].integer == 1;
    result.remaining = r.elements[1].integer;
    result.retry_after = std::chrono::microseconds(r.elements[2].integer);
    result.reset_after = std::chrono::microseconds(r.elements[3].integer);
    (result.allowed ? m_allowed : m_denied).fetch_add(1, std::memory_order_relaxed);
    return result;
}

rt::Task<RateLimitResult> DistributedRateLimiter::allow(std::string key, int64_t cost) {
    std::string k = checked_key(key, cost);
    Command by_digest = script_call(true, k, cost);
    try {
        Reply r = co_await m_redis.command_for(k, std::move(by_digest));
        co_return counted(r);
    } catch (const RedisError& e) {
        if (!is_noscript(e)) throw;
    }
    // Out of the handler: a coroutine cannot co_await inside one.
    m_script_loads.fetch_add(1, std::memory_order_relaxed);
    Command whole = script_call(false, k, cost);
    Reply r = co_await m_redis.command_for(k, std::move(whole));
    co_return counted(r);
}

RateLimitResult DistributedRateLimiter::allow_blocking(const std::string& key, int64_t cost) {
    std::string k = checked_key(key, cost);
    try {
        return counted(m_redis.command_for_blocking(k, script_call(true, k, cost)));
    } catch (const RedisError& e) {
        if (!is_noscript(e)) throw;
    }
    m_script_loads.fetch_add(1, std::memory_order_relaxed);
    return counted(m_redis.command_for_blocking(k, script_call(false, k, cost)));
}

}  // namespace cs::redis
