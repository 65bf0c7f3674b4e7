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

Chan<TimePoint> after(Duration d) {
    struct AfterNode : TimerNode {
        Chan<TimePoint> chan{1, "after", Chan<TimePoint>::Role::runtime};
        Engine* engine = nullptr;
    };
    Engine& e = detail::engine_of_current();
    auto* t = new AfterNode();
    t->engine = &e;
    t->when = e.clock().now() + d;
    t->fire = [](TimerNode* base) {
        auto* self = static_cast<AfterNode*>(base);
        self->chan.try_send(self->engine->clock().now());
        delete self;
    };
    t->dispose = [](TimerNode* base) { delete static_cast<AfterNode*>(base); };
    Chan<TimePoint> ch = t->chan;
    e.arm_timer(t);  // from here t may fire and be freed
    return ch;
}

namespace detail {

ChanTimer::ChanTimer(std::string name, bool internal) : m_engine(engine_of_current()) {
    m_node.chan =
        Chan<TimePoint>(1, std::move(name),
                        internal ? Chan<TimePoint>::Role::runtime : Chan<TimePoint>::Role::program);
    m_node.engine = &m_engine;
    m_node.fire = [](TimerNode* base) {
        auto* self = static_cast<Node*>(base);
        self->chan.try_send(self->engine->clock().now());
    };
}

ChanTimer::~ChanTimer() {
    stop();
}

bool ChanTimer::stop() {
    if (!m_armed) return false;
    m_armed = false;
    return m_engine.timers().remove(&m_node);
}

void ChanTimer::start(Duration first, Duration period) {
    stop();
    m_node.period = period;
    m_node.when = m_engine.clock().now() + first;
    m_armed = true;
    m_engine.arm_timer(&m_node);
}

}  // namespace detail

void Ticker::reset(Duration period) {
    if (period.count() <= 0) throw_out_of_range("ticker period (ns)", period.count(), "> 0");
    m_timer.start(period, period);
}

}  // namespace cs::rt
