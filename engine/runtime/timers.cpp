#include "runtime/timers.h"

#include "engine.h"
#include "runtime/context.h"
#include "runtime/select.h"

namespace cs::rt {
namespace detail {

Engine& engine_of_current() {
    if (TaskControl* g = current_task()) return g->sched->engine();
    if (Engine* e = Engine::current()) return *e;
    throw UsageError("no engine: timers need a running cs::Engine");
}

void arm(Engine& e, Timer* t) { e.arm_timer(t); }
TimePoint clock_now(Engine& e) { return e.clock().now(); }

}  // namespace detail

Task<Status> sleep_for(const Context& ctx, Duration d) {
    if (Status s = ctx.err(); s != Status::ok) co_return s;
    if (d.count() <= 0) co_return Status::ok;
    Chan<TimePoint> timer = after(d);
    int chosen = co_await select_as(WaitReason::sleep, 0, recv_case(timer), recv_case(ctx.done()));
    co_return chosen == 0 ? Status::ok : ctx.err();
}

namespace {

struct AfterTimer : Timer {
    Chan<TimePoint> chan;
    Engine* engine;
};

}  // namespace

Chan<TimePoint> after(Duration d) {
    Engine& e = detail::engine_of_current();
    Chan<TimePoint> ch(1, "after");
    auto* t = new AfterTimer();
    t->chan = ch;
    t->engine = &e;
    t->when = e.clock().now() + d;
    t->fire = [](Timer* base) {
        auto* self = static_cast<AfterTimer*>(base);
        self->chan.try_send(self->engine->clock().now());
        delete self;
    };
    e.arm_timer(t);
    return ch;
}

Ticker::Ticker(Duration period, std::string name) : m_engine(detail::engine_of_current()), m_chan(1, std::move(name)) {
    reset(period);
}

Ticker::~Ticker() { stop(); }

void Ticker::stop() {
    if (!m_armed) return;
    m_engine.timers().remove(&m_timer);
    m_armed = false;
}

void Ticker::reset(Duration period) {
    if (period.count() <= 0) throw_out_of_range("ticker period (ns)", period.count(), "> 0");
    stop();
    m_timer.chan = m_chan;
    m_timer.engine = &m_engine;
    m_timer.period = period;
    m_timer.when = m_engine.clock().now() + period;
    m_timer.fire = [](Timer* base) {
        auto* self = static_cast<TickTimer*>(base);
        self->chan.try_send(self->engine->clock().now());
    };
    m_engine.arm_timer(&m_timer);
    m_armed = true;
}

}  // namespace cs::rt
