#pragma once
// Clock: the runtime's one source of time. Every timer, sleep, deadline and simulated duration
// reads it, so slowing it down or pausing it slows or freezes the whole scenario.
//
// Two modes:
//  - scaled: follows the steady clock at `speed` (0.05x .. 10x; 1.0 is real time); can be paused
//    and, while paused, stepped forward to a chosen instant.
//  - virtual: time moves only when the scheduler says so (deterministic mode: when every task is
//    parked, time jumps to the next timer). Runs are reproducible and as fast as the CPU allows.
//
// Thread-safe: now() is lock-free (a seqlock), the setters serialize on a mutex.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace cs::rt {

using Duration = std::chrono::nanoseconds;

// The clock's own time line: nanoseconds since the engine started.
struct SimClock {
    using rep = int64_t;
    using period = std::nano;
    using duration = Duration;
    using time_point = std::chrono::time_point<SimClock, Duration>;
    static constexpr bool is_steady = true;
};
using TimePoint = SimClock::time_point;

class Clock {
  public:
    enum class Mode { scaled, virtual_time };
    static constexpr double min_speed = 0.05;
    static constexpr double max_speed = 10.0;

    explicit Clock(Mode mode = Mode::scaled);

    Mode mode() const noexcept { return m_mode; }
    TimePoint now() const noexcept;

    // Throws InvalidArgument outside [min_speed, max_speed].
    void set_speed(double speed);
    double speed() const noexcept;

    void pause();
    void resume();
    bool paused() const noexcept;

    // Moves time forward to `t` (no-op if t is not in the future). Allowed in virtual mode and
    // while paused in scaled mode: that is how single-stepping works.
    void advance_to(TimePoint t);

    // Scaled mode: the real time to wait until the clock shows `t`; nullopt while paused
    // (time does not move) and in virtual mode.
    std::optional<std::chrono::steady_clock::duration> real_time_until(TimePoint t) const noexcept;

    // Bumped on every change of speed, pause state or virtual time, so a thread sleeping on a
    // real-time deadline knows to recompute it.
    uint64_t generation() const noexcept { return m_seq.load(std::memory_order_acquire); }

  private:
    struct Anchor {
        int64_t real_ns;     // steady-clock reading when the anchor was set
        int64_t virtual_ns;  // clock reading at that instant
        double speed;
        bool paused;
    };
    Anchor load_anchor() const noexcept;
    void store_anchor(const Anchor& a) noexcept;  // caller holds m_write_mu
    static int64_t real_now_ns() noexcept;
    static int64_t virtual_at(const Anchor& a, int64_t real_ns) noexcept;

    const Mode m_mode;
    std::mutex m_write_mu;
    // Seqlock: odd while a writer is updating the fields below.
    std::atomic<uint64_t> m_seq{0};
    std::atomic<int64_t> m_real_ns{0};
    std::atomic<int64_t> m_virtual_ns{0};
    std::atomic<double> m_speed{1.0};
    std::atomic<bool> m_paused{false};
};

}  // namespace cs::rt
