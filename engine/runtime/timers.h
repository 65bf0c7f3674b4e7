#pragma once
// Time for tasks, all through the engine's clock (so slow motion and pause apply):
//   co_await sleep_for(40ms);                      // park for 40 ms of clock time
//   Status s = co_await sleep_for(ctx, 40ms);      // ... or until ctx is cancelled
//   co_await select(recv_case(x), recv_case(after(1s)));   // a timeout
//   Ticker t(100ms);  t.chan()                     // a tick every 100 ms; slow readers miss ticks
//   co_await yield_now();                          // let other runnable tasks go first
#include <coroutine>

#include "runtime/channel.h"
#include "runtime/clock.h"
#include "runtime/errors.h"
#include "runtime/park.h"
#include "runtime/task.h"
#include "runtime/timer_queue.h"

namespace cs {
class Engine;
}

namespace cs::rt {

class Context;

namespace detail {
Engine& engine_of_current();  // the current task's engine, else Engine::current(); throws if none
void arm(Engine& e, TimerNode* t);
TimePoint clock_now(Engine& e);
}  // namespace detail

// Parks the calling task for `d` of clock time. d <= 0 returns at once.
inline auto sleep_for(Duration d) {
    struct Awaiter {
        struct SleepTimer : TimerNode {
            Parker parker;
        } timer;
        Duration d;
        bool await_ready() const noexcept { return d.count() <= 0; }
        void await_suspend(std::coroutine_handle<> h) {
            TaskControl* g = require_task("sleep_for");
            Engine& e = detail::engine_of_current();
            timer.parker.task = g;
            timer.when = detail::clock_now(e) + d;
            timer.fire = [](TimerNode* t) {
                wake(static_cast<SleepTimer*>(t)->parker, 0, nullptr);
            };
            park_current(g, h, WaitReason::sleep, 0);
            detail::arm(e, &timer);  // may fire (and resume us elsewhere) at once
        }
        void await_resume() const noexcept {}
    };
    return Awaiter{{}, d};
}

// Parks for `d`, or until ctx is cancelled: Status::ok, or ctx.err().
Task<Status> sleep_for(const Context& ctx, Duration d);

// A channel that receives the clock time once, `d` from now (Go's time.After). Its timer stays
// armed until it fires, as in Go: in a loop, prefer a Timer, which stop() disarms.
Chan<TimePoint> after(Duration d);

namespace detail {
// A timer that sends the clock time on a channel of capacity 1, dropping a tick when the
// previous one is unread. Once (period 0) or every `period`. What Timer and Ticker share.
class ChanTimer {
  public:
    ChanTimer(std::string name, bool internal);
    ~ChanTimer();
    ChanTimer(const ChanTimer&) = delete;
    ChanTimer& operator=(const ChanTimer&) = delete;

    const Chan<TimePoint>& chan() const noexcept { return m_node.chan; }
    void start(Duration first, Duration period);
    bool stop();  // true if it disarmed a pending timer

  private:
    struct Node : TimerNode {
        Chan<TimePoint> chan;
        Engine* engine = nullptr;
    };
    Engine& m_engine;
    Node m_node;
    bool m_armed = false;
};
}  // namespace detail

// Sends the clock time on chan() once, `d` from now; stop() disarms it (Go's time.Timer).
// Stops when destroyed. Thread-safe.
class Timer {
  public:
    explicit Timer(Duration d, std::string name = "timer")
        : m_timer(std::move(name), /*internal=*/true) {
        reset(d);
    }
    const Chan<TimePoint>& chan() const noexcept { return m_timer.chan(); }
    // True if this stopped a pending timer (false: it had fired, or was stopped already).
    bool stop() { return m_timer.stop(); }
    void reset(Duration d) { m_timer.start(d, Duration::zero()); }

  private:
    detail::ChanTimer m_timer;
};

// Sends the clock time on chan() every `period`; a tick is dropped when the previous one is still
// unread (capacity 1), as Go's time.Ticker. Stops when destroyed. Thread-safe.
class Ticker {
  public:
    explicit Ticker(Duration period, std::string name = "ticker")
        : m_timer(std::move(name), /*internal=*/false) {
        reset(period);
    }
    const Chan<TimePoint>& chan() const noexcept { return m_timer.chan(); }
    void stop() { m_timer.stop(); }
    // Throws InvalidArgument for period <= 0.
    void reset(Duration period);

  private:
    detail::ChanTimer m_timer;
};

// Puts the calling task at the back of its worker's queue.
inline auto yield_now() {
    struct Awaiter {
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) {
            TaskControl* g = require_task("yield_now");
            g->resume_point = h;
            g->sched->submit(g);
        }
        void await_resume() const noexcept {}
    };
    return Awaiter{};
}

}  // namespace cs::rt
