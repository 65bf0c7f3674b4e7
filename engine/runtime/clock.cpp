#include "runtime/clock.h"

#include <cmath>
#include <string>

#include "runtime/errors.h"

namespace cs::rt {

Clock::Clock(Mode mode) : m_mode(mode) {
    std::lock_guard lock(m_write_mu);
    store_anchor({real_now_ns(), 0, 1.0, mode == Mode::virtual_time});
}

int64_t Clock::real_now_ns() noexcept {
    return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int64_t Clock::virtual_at(const Anchor& a, int64_t real_ns) noexcept {
    if (a.paused) return a.virtual_ns;
    return a.virtual_ns + static_cast<int64_t>(static_cast<double>(real_ns - a.real_ns) * a.speed);
}

Clock::Anchor Clock::load_anchor() const noexcept {
    for (;;) {
        uint64_t before = m_seq.load(std::memory_order_acquire);
        if (before & 1) continue;
        Anchor a{m_real_ns.load(std::memory_order_relaxed),
                 m_virtual_ns.load(std::memory_order_relaxed),
                 m_speed.load(std::memory_order_relaxed), m_paused.load(std::memory_order_relaxed)};
        std::atomic_thread_fence(std::memory_order_acquire);
        if (m_seq.load(std::memory_order_relaxed) == before) return a;
    }
}

void Clock::store_anchor(const Anchor& a) noexcept {
    m_seq.fetch_add(1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    m_real_ns.store(a.real_ns, std::memory_order_relaxed);
    m_virtual_ns.store(a.virtual_ns, std::memory_order_relaxed);
    m_speed.store(a.speed, std::memory_order_relaxed);
    m_paused.store(a.paused, std::memory_order_relaxed);
    m_seq.fetch_add(1, std::memory_order_release);
}

TimePoint Clock::now() const noexcept {
    Anchor a = load_anchor();
    if (a.paused) return TimePoint(Duration(a.virtual_ns));
    return TimePoint(Duration(virtual_at(a, real_now_ns())));
}

void Clock::set_speed(double speed) {
    if (!(speed >= min_speed && speed <= max_speed) || std::isnan(speed)) {
        throw InvalidArgument("clock speed: " + std::to_string(speed) +
                              " is out of range (allowed: 0.05 .. 10)");
    }
    std::lock_guard lock(m_write_mu);
    Anchor a = load_anchor();
    int64_t real = real_now_ns();
    store_anchor({real, virtual_at(a, real), speed, a.paused});
}

double Clock::speed() const noexcept {
    return m_speed.load(std::memory_order_relaxed);
}

void Clock::pause() {
    std::lock_guard lock(m_write_mu);
    Anchor a = load_anchor();
    if (a.paused) return;
    int64_t real = real_now_ns();
    store_anchor({real, virtual_at(a, real), a.speed, true});
}

void Clock::resume() {
    if (m_mode == Mode::virtual_time) return;  // virtual time is always "paused": it only jumps
    std::lock_guard lock(m_write_mu);
    Anchor a = load_anchor();
    if (!a.paused) return;
    store_anchor({real_now_ns(), a.virtual_ns, a.speed, false});
}

bool Clock::paused() const noexcept {
    return m_paused.load(std::memory_order_relaxed);
}

void Clock::advance_to(TimePoint t) {
    std::lock_guard lock(m_write_mu);
    Anchor a = load_anchor();
    if (!a.paused) return;  // a running clock moves by itself
    if (t.time_since_epoch().count() <= a.virtual_ns) return;
    store_anchor({real_now_ns(), t.time_since_epoch().count(), a.speed, true});
}

std::optional<std::chrono::steady_clock::duration> Clock::real_time_until(
    TimePoint t) const noexcept {
    Anchor a = load_anchor();
    if (a.paused) return std::nullopt;
    int64_t real = real_now_ns();
    int64_t remaining_virtual = t.time_since_epoch().count() - virtual_at(a, real);
    if (remaining_virtual <= 0) return std::chrono::steady_clock::duration::zero();
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(Duration(
        static_cast<int64_t>(std::ceil(static_cast<double>(remaining_virtual) / a.speed))));
}

}  // namespace cs::rt
