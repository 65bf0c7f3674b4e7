#include "patterns/error_group.h"

#include <mutex>

#include "runtime/wait_group.h"

namespace cs::patterns {

struct ErrorGroup::State {
    explicit State(const rt::Context& parent) : lifetime(rt::with_cancel(parent)) {}
    std::pair<rt::Context, rt::CancelFunc> lifetime;
    rt::WaitGroup running;
    std::mutex mu;
    std::optional<GroupError> first;

    void fail(const std::string& task, std::string message) {
        {
            std::lock_guard lock(mu);
            if (!first) first = GroupError{task, std::move(message)};
        }
        lifetime.second();
    }
};

ErrorGroup::ErrorGroup(Engine& engine, rt::Context parent)
    : m_engine(engine), m_state(std::make_shared<State>(parent)) {}

ErrorGroup::~ErrorGroup() {
    m_state->lifetime.second();
}

const rt::Context& ErrorGroup::context() const noexcept {
    return m_state->lifetime.first;
}

void ErrorGroup::go(std::string name, Fn fn) {
    m_state->running.add(1);
    m_engine.go(name, [s = m_state, name, fn = std::move(fn)]() -> rt::Task<> {
        try {
            rt::Status st = co_await fn(s->lifetime.first);
            if (st != rt::Status::ok) s->fail(name, rt::to_string(st));
        } catch (const std::exception& e) {
            s->fail(name, e.what());
        }
        s->running.done();
    });
}

rt::Task<std::optional<GroupError>> ErrorGroup::wait() {
    std::shared_ptr<State> s = m_state;
    co_await s->running.wait();
    std::lock_guard lock(s->mu);
    co_return s->first;
}

}  // namespace cs::patterns
