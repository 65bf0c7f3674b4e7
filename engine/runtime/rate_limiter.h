#pragma once
// RateLimiter: a token bucket, as Go's golang.org/x/time/rate.Limiter. The bucket holds up to
// `burst` tokens and refills at `limit` tokens per second of the engine's clock (so slow motion
// slows the refill too). limit = infinity allows everything.
//
//   RateLimiter rl(100.0, 10, "api");        // 100/s, bursts of 10
//   if (rl.allow()) ...                      // take a token now, or be refused
//   Status s = co_await rl.wait(ctx, 1);     // park until a token is due (or ctx ends)
//   auto r = rl.reserve(3);  sleep r.delay(); // or cancel it: r.cancel()
//
// Thread-safe. Errors: limit <= 0 or NaN and burst < 1 throw InvalidArgument; n <= 0 throws
// InvalidArgument; wait(ctx, n) with n > burst fails at once with Status::exceeds_burst.
#include <atomic>
#include <cstdint>
#include <limits>
#include <string>

#include "runtime/clock.h"
#include "runtime/context.h"
#include "runtime/errors.h"
#include "runtime/registered.h"
#include "runtime/spin_lock.h"
#include "runtime/task.h"

namespace cs {
class Engine;
}
namespace cs::telemetry {
class Telemetry;
}

namespace cs::rt {

class RateLimiter;

// A reservation of tokens for a future instant (Go's rate.Reservation).
class Reservation {
  public:
    bool ok() const noexcept { return m_ok; }  // false: can never be satisfied (n > burst)
    TimePoint time_to_act() const noexcept { return m_time_to_act; }
    Duration delay() const;  // from now; 0 when due already
    // Gives the tokens back as if never reserved (those not yet "spent" by later reservations).
    void cancel();

  private:
    friend class RateLimiter;
    RateLimiter* m_limiter = nullptr;
    bool m_ok = false;
    int64_t m_tokens = 0;
    TimePoint m_time_to_act{};
    double m_limit = 0;  // the limit when reserved
};

class RateLimiter : public Registered {
  public:
    static constexpr double inf = std::numeric_limits<double>::infinity();

    RateLimiter(double limit_per_second, int64_t burst, std::string name = {});
    ~RateLimiter();

    bool allow(int64_t n = 1);
    Reservation reserve(int64_t n = 1);
    Task<Status> wait(Context ctx, int64_t n = 1);

    void set_limit(double limit_per_second);
    void set_burst(int64_t burst);
    double limit() const noexcept { return m_limit.load(std::memory_order_relaxed); }
    int64_t burst() const noexcept { return m_burst.load(std::memory_order_relaxed); }
    double tokens() const;  // now, refilled

    uint64_t allowed() const noexcept { return m_allowed.load(std::memory_order_relaxed); }
    uint64_t denied() const noexcept { return m_denied.load(std::memory_order_relaxed); }
    uint64_t waited() const noexcept { return m_waited.load(std::memory_order_relaxed); }

  private:
    friend class Reservation;
    struct Advanced {
        TimePoint t;
        double tokens;
    };
    Advanced advance(TimePoint t) const;  // mu held
    Reservation reserve_locked(TimePoint now, int64_t n, Duration max_wait);
    void cancel_at(Reservation& r, TimePoint now);
    TimePoint now() const;
    static void check_limit(double limit);
    static void check_burst(int64_t burst);
    static void check_n(int64_t n);

    Engine& m_engine;
    mutable SpinLock m_mu;
    std::atomic<double> m_limit;
    std::atomic<int64_t> m_burst;
    double m_tokens;
    TimePoint m_last{};        // last time tokens was updated
    TimePoint m_last_event{};  // latest time_to_act of any reservation
    std::atomic<uint64_t> m_allowed{0};
    std::atomic<uint64_t> m_denied{0};
    std::atomic<uint64_t> m_waited{0};
};

}  // namespace cs::rt
