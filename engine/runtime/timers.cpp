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

void arm(Engine& e, TimerNode* t) {
    e.arm_timer(t);
}
TimePoint clock_now(Engine& e) {
    return e.clock().now();
}

}  // namespace detail

Task<Status> sleep_for(const Context& ctx, Duration d) {
    if (Status s = ctx.err(); s != Status::ok) co_return s;
    if (d.count() <= 0) co_return Status::ok;
    Timer timer(d, "sleep");
    int chosen =
        co_await select_as(WaitReason::sleep, 0, recv_case(timer.chan()), recv_case(ctx.done()));
    co_return chosen == 0 ? Status::ok : ctx.err();
}

void detail::ChanTimerNode::send_now(TimerNode* t) {
    auto* self = static_cast<ChanTimerNode*>(t);
    self->chan.try_send(self->engine->clock().now());
}

Chan<TimePoint> after(Duration d) {
    Engine& e = detail::engine_of_current();
    auto* t = new detail::ChanTimerNode();
    t->chan = Chan<TimePoint>(1, "after");
    t->chan.state()->mark_internal();
    t->engine = &e;
    t->when = e.clock().now() + d;
    t->fire = [](TimerNode* base) {
        detail::ChanTimerNode::send_now(base);
        delete static_cast<detail::ChanTimerNode*>(base);
    };
    t->dispose = [](TimerNode* base) { delete static_cast<detail::ChanTimerNode*>(base); };
    Chan<TimePoint> ch = t->chan;
    e.arm_timer(t);  // from here t may fire and be freed
    return ch;
}

Timer::Timer(Duration d, std::string name) : m_engine(detail::engine_of_current()) {
    m_node.chan = Chan<TimePoint>(1, std::move(name));
    m_node.chan.state()->mark_internal();
    m_node.engine = &m_engine;
    m_node.fire = &detail::ChanTimerNode::send_now;
    reset(d);
}

Timer::~Timer() {
    stop();
}

bool Timer::stop() {
    if (!m_armed) return false;
    m_armed = false;
    return m_engine.timers().remove(&m_node);
}

void Timer::reset(Duration d) {
    stop();
    m_node.when = m_engine.clock().now() + d;
    m_armed = true;
    m_engine.arm_timer(&m_node);
}

Ticker::Ticker(Duration period, std::string name) : m_engine(detail::engine_of_current()) {
    m_node.chan = Chan<TimePoint>(1, std::move(name));
    m_node.engine = &m_engine;
    m_node.fire = &detail::ChanTimerNode::send_now;
    reset(period);
}

Ticker::~Ticker() {
    stop();
}

void Ticker::stop() {
    if (!m_armed) return;
    m_engine.timers().remove(&m_node);
    m_armed = false;
}

void Ticker::reset(Duration period) {
    if (period.count() <= 0) throw_out_of_range("ticker period (ns)", period.count(), "> 0");
    stop();
    m_node.period = period;
    m_node.when = m_engine.clock().now() + period;
    m_engine.arm_timer(&m_node);
    m_armed = true;
}

}  // namespace cs::rt
