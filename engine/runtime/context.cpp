#include "runtime/context.h"

#include <mutex>
#include <vector>

#include "engine.h"
#include "runtime/timers.h"

namespace cs::rt {

struct Context::State {
    std::mutex mu;
    Status err = Status::ok;
    Chan<Unit> done{0, "ctx.done", Chan<Unit>::Role::runtime};
    std::shared_ptr<State> parent;  // keeps ancestors alive; they hold us only by raw pointer
    std::vector<State*> children;
    std::optional<TimePoint> deadline;

    struct DeadlineTimer : TimerNode {
        State* owner = nullptr;
    } timer;
    Engine* engine = nullptr;  // set when a deadline timer is armed
    bool timer_armed = false;

    ~State() {
        if (timer_armed) engine->timers().remove(&timer);
        if (parent) {
            std::lock_guard lock(parent->mu);
            std::erase(parent->children, this);
        }
    }

    // Lock order: parent before child, as Go's cancelCtx.
    void cancel(Status why) {
        std::lock_guard lock(mu);
        if (err != Status::ok) return;
        err = why;
        done.close();
        for (State* child : children) child->cancel(why);
        children.clear();
    }
};

Chan<Unit> Context::done() const {
    return m_state ? m_state->done : Chan<Unit>{};
}

Status Context::err() const {
    if (!m_state) return Status::ok;
    std::lock_guard lock(m_state->mu);
    return m_state->err;
}

std::optional<TimePoint> Context::deadline() const {
    return m_state ? m_state->deadline : std::nullopt;
}

void CancelFunc::operator()() const {
    if (m_state) m_state->cancel(Status::cancelled);
}

std::pair<Context, CancelFunc> with_cancel(const Context& parent) {
    auto s = std::make_shared<Context::State>();
    if (parent.m_state) {
        s->parent = parent.m_state;
        s->deadline = parent.m_state->deadline;
        std::lock_guard lock(parent.m_state->mu);
        if (parent.m_state->err != Status::ok) {
            s->err = parent.m_state->err;
            s->done.close();
        } else {
            parent.m_state->children.push_back(s.get());
        }
    }
    return {Context(s), CancelFunc(s)};
}

std::pair<Context, CancelFunc> with_deadline(const Context& parent, TimePoint deadline) {
    if (parent.deadline() && *parent.deadline() <= deadline)
        return with_cancel(parent);  // parent's is sooner
    auto [ctx, cancel] = with_cancel(parent);
    Context::State& s = *ctx.m_state;
    s.deadline = deadline;
    Engine& e = detail::engine_of_current();
    if (e.clock().now() >= deadline) {
        s.cancel(Status::deadline_exceeded);
        return {ctx, cancel};
    }
    s.engine = &e;
    s.timer.owner = &s;
    s.timer.when = deadline;
    s.timer.fire = [](TimerNode* t) {
        static_cast<Context::State::DeadlineTimer*>(t)->owner->cancel(Status::deadline_exceeded);
    };
    s.timer_armed = true;
    e.arm_timer(&s.timer);
    return {ctx, cancel};
}

std::pair<Context, CancelFunc> with_timeout(const Context& parent, Duration timeout) {
    return with_deadline(parent, detail::engine_of_current().clock().now() + timeout);
}

}  // namespace cs::rt
