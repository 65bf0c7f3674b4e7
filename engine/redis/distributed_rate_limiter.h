#pragma once
// DistributedRateLimiter: one rate limit shared by every process that talks to the same Redis.
// It runs GCRA (the generic cell rate algorithm) in a Lua script on the server, so reading and
// updating a key's state is one atomic step whoever asks, and the time it uses is the server's
// (TIME), so the clients' clocks do not matter. Its semantics are a token bucket's, like
// rt::RateLimiter's: a fresh key allows `burst` requests at once, then `rate` per second.
//
// A key holds one number (GCRA's theoretical arrival time) and expires once the key is back to a
// full burst, so idle keys cost nothing. The script is called by its SHA-1 (EVALSHA); a server
// that does not know it yet (new, restarted, SCRIPT FLUSH) answers NOSCRIPT, and the limiter
// sends it once with EVAL, which also stores it there for the next EVALSHA. Works over any
// RedisRouter (the key decides the server). Times are the server's, to TIME's microsecond.
// Thread-safe.
//
//   DistributedRateLimiter api(redis, {.rate = 200, .burst = 20});
//   RateLimitResult r = co_await api.allow("user:42");           // in a task
//   if (!r.allowed) reply_429(r.retry_after);
//   RateLimitResult big = api.allow_blocking("user:42", 5);      // an ordinary thread, cost 5
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "redis/redis_reply.h"
#include "redis/redis_router.h"
#include "runtime/task.h"

namespace cs::redis {

struct DistributedRateLimiterOptions {
    double rate = 0;    // requests per second on average, 1/3600 (one an hour) .. 1'000'000;
                        // 0 (unset) is refused
    int64_t burst = 0;  // requests allowed at once on a fresh key, 1 .. 100'000; 0 is refused
    std::string key_prefix = "ratelimit:";  // before every key; empty: none
};

struct RateLimitResult {
    bool allowed = false;
    int64_t remaining = 0;  // requests of cost 1 that would be allowed now, after this one if
                            // it was allowed (denied: a smaller cost may still fit)
    std::chrono::microseconds retry_after{0};  // denied: until this request would be allowed;
                                               // 0 when allowed
    std::chrono::microseconds reset_after{0};  // until the key is back to a full burst
};

class DistributedRateLimiter {
  public:
    // Throws rt::InvalidArgument naming the field and its allowed range.
    DistributedRateLimiter(RedisRouter& redis, DistributedRateLimiterOptions options);
    DistributedRateLimiter(const DistributedRateLimiter&) = delete;
    DistributedRateLimiter& operator=(const DistributedRateLimiter&) = delete;

    // Takes `cost` (1 .. burst) requests' worth from the key's limit if it has them, else
    // nothing. Throws rt::InvalidArgument for a bad cost or an empty key, RedisError when Redis
    // cannot answer (the caller decides whether to fail open or closed).
    rt::Task<RateLimitResult> allow(std::string key, int64_t cost = 1);
    // The same from an ordinary thread, blocking it (the router must have blocking calls).
    RateLimitResult allow_blocking(const std::string& key, int64_t cost = 1);

    double rate() const noexcept { return m_options.rate; }
    int64_t burst() const noexcept { return m_options.burst; }
    // Counted by this limiter (this process): answers that allowed, that denied, and the times
    // the script had to be sent with EVAL because a server answered NOSCRIPT.
    uint64_t allowed() const noexcept { return m_allowed.load(std::memory_order_relaxed); }
    uint64_t denied() const noexcept { return m_denied.load(std::memory_order_relaxed); }
    uint64_t script_loads() const noexcept {
        return m_script_loads.load(std::memory_order_relaxed);
    }

    // The Lua script and its SHA-1 (what EVALSHA names it by).
    static const std::string& script();
    static const std::string& script_sha1();

  private:
    // EVALSHA (by_digest) or EVAL of the script for this key and cost.
    Command script_call(bool by_digest, const std::string& key, int64_t cost) const;
    std::string checked_key(const std::string& key, int64_t cost) const;
    RateLimitResult counted(const Reply& reply);

    RedisRouter& m_redis;
    const DistributedRateLimiterOptions m_options;
    const std::string m_interval_us;  // 1e6 / rate, as the script reads it
    std::atomic<uint64_t> m_allowed{0}, m_denied{0}, m_script_loads{0};
};

}  // namespace cs::redis
