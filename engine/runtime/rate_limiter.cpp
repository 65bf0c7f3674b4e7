#include "runtime/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "engine.h"
#include "runtime/select.h"
#include "runtime/timers.h"

namespace cs::rt {
namespace {

Duration duration_from_tokens(double limit, double tokens) {
    if (limit <= 0) return Duration::max();
    double seconds = tokens / limit;
    if (seconds >= 9.2e9) return Duration::max();
    return Duration(static_cast<int64_t>(seconds * 1e9));
}

double tokens_from_duration(double limit, Duration d) {
    if (limit <= 0) return 0;
    return static_cast<double>(d.count()) / 1e9 * limit;
}

void bump(std::atomic<uint64_t>& c) {
    c.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

void RateLimiter::check_limit(double limit) {
    if (std::isnan(limit) || limit <= 0) {
        throw InvalidArgument("rate limit: " + std::to_string(limit) +
                              " is out of range (allowed: > 0 events per second, or infinity)");
    }
}
void RateLimiter::check_burst(int64_t burst) {
    if (burst < 1) throw_out_of_range("rate limiter burst", burst, "1 .. 2^63-1");
}
void RateLimiter::check_n(int64_t n) {
    if (n < 1) throw_out_of_range("rate limiter n", n, "1 .. burst");
}

RateLimiter::RateLimiter(double limit, int64_t burst, std::string name)
    : Registered(Kind::limiter, std::move(name)),
      m_engine(detail::engine_of_current()),
      m_limit(limit),
      m_burst(burst),
      m_tokens(static_cast<double>(burst)) {
    check_limit(limit);
    check_burst(burst);
    m_last = m_engine.clock().now();
    publish();
}

RateLimiter::~RateLimiter() {
    withdraw();
}

TimePoint RateLimiter::now() const {
    return m_engine.clock().now();
}

RateLimiter::Advanced RateLimiter::advance(TimePoint t) const {
    TimePoint last = std::min(m_last, t);  // time may be read out of order by racing callers
    double tokens = m_tokens + tokens_from_duration(limit(), t - last);
    double b = static_cast<double>(burst());
    return {t, std::min(tokens, b)};
}

Reservation RateLimiter::reserve_locked(TimePoint t, int64_t n, Duration max_wait) {
    Reservation r;
    r.m_limiter = this;
    double lim = limit();
    r.m_limit = lim;
    if (lim == inf) {
        r.m_ok = true;
        r.m_tokens = n;
        r.m_time_to_act = t;
        return r;
    }
    Advanced a = advance(t);
    double tokens = a.tokens - static_cast<double>(n);
    Duration wait = tokens < 0 ? duration_from_tokens(lim, -tokens) : Duration::zero();
    r.m_ok = n <= burst() && wait <= max_wait;
    if (!r.m_ok) return r;
    r.m_tokens = n;
    r.m_time_to_act = t + wait;
    m_last = a.t;
    m_tokens = tokens;
    m_last_event = r.m_time_to_act;
    return r;
}

bool RateLimiter::allow(int64_t n) {
    check_n(n);
    TimePoint t = now();
    bool ok;
    {
        std::lock_guard lock(m_mu);
        ok = reserve_locked(t, n, Duration::zero()).ok();
    }
    bump(ok ? m_allowed : m_denied);
    return ok;
}

Reservation RateLimiter::reserve(int64_t n) {
    check_n(n);
    TimePoint t = now();
    std::lock_guard lock(m_mu);
    Reservation r = reserve_locked(t, n, Duration::max());
    bump(r.ok() ? m_allowed : m_denied);
    return r;
}

Duration Reservation::delay() const {
    if (!m_ok) return Duration::max();
    Duration d = m_time_to_act - m_limiter->now();
    return d.count() > 0 ? d : Duration::zero();
}

void Reservation::cancel() {
    if (m_limiter) m_limiter->cancel_at(*this, m_limiter->now());
}

// Go's Reservation.CancelAt: give back the tokens that later reservations have not come to
// depend on.
void RateLimiter::cancel_at(Reservation& r, TimePoint t) {
    std::lock_guard lock(m_mu);
    if (!r.m_ok || r.m_tokens == 0 || limit() == inf || r.m_time_to_act < t) return;
    double restore = static_cast<double>(r.m_tokens) -
                     tokens_from_duration(r.m_limit, m_last_event - r.m_time_to_act);
    r.m_tokens = 0;
    if (restore <= 0) return;
    Advanced a = advance(t);
    m_tokens = std::min(a.tokens + restore, static_cast<double>(burst()));
    m_last = a.t;
    if (r.m_time_to_act == m_last_event) {
        TimePoint prev =
            r.m_time_to_act - duration_from_tokens(r.m_limit, static_cast<double>(restore));
        if (prev >= t) m_last_event = prev;
    }
}

Task<Status> RateLimiter::wait(Context ctx, int64_t n) {
    check_n(n);
    if (n > burst() && limit() != inf) {
        bump(m_denied);
        co_return Status::exceeds_burst;
    }
    if (Status s = ctx.err(); s != Status::ok) co_return s;
    TimePoint t = now();
    Duration max_wait = Duration::max();
    if (auto d = ctx.deadline()) max_wait = *d - t;
    Reservation r;
    {
        std::lock_guard lock(m_mu);
        r = reserve_locked(t, n, max_wait);
    }
    if (!r.ok()) {
        bump(m_denied);
        co_return Status::would_exceed_deadline;
    }
    bump(m_allowed);
    Duration delay = r.time_to_act() - t;
    if (delay.count() <= 0) co_return Status::ok;
    bump(m_waited);
    Timer timer(delay, "limiter");
    int chosen = co_await select_as(WaitReason::limiter, telemetry_id, recv_case(timer.chan()),
                                    recv_case(ctx.done()));
    if (chosen == 0) co_return Status::ok;
    cancel_at(r, now());
    co_return ctx.err();
}

void RateLimiter::set_limit(double new_limit) {
    check_limit(new_limit);
    TimePoint t = now();
    std::lock_guard lock(m_mu);
    Advanced a = advance(t);
    m_last = a.t;
    m_tokens = a.tokens;
    m_limit.store(new_limit, std::memory_order_relaxed);
}

void RateLimiter::set_burst(int64_t new_burst) {
    check_burst(new_burst);
    TimePoint t = now();
    std::lock_guard lock(m_mu);
    Advanced a = advance(t);
    m_last = a.t;
    m_tokens = std::min(a.tokens, static_cast<double>(new_burst));
    m_burst.store(new_burst, std::memory_order_relaxed);
}

double RateLimiter::tokens() const {
    TimePoint t = now();
    std::lock_guard lock(m_mu);
    if (limit() == inf) return static_cast<double>(burst());
    return advance(t).tokens;
}

}  // namespace cs::rt
