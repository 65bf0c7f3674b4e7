#include "runtime/spawn.h"

#include <mutex>

namespace cs::rt {

bool JoinHandle::is_done(Completion* c) {
    std::lock_guard lock(c->mu);
    return c->finished;
}

bool JoinHandle::done() const {
    return m_c && is_done(m_c);
}

void JoinHandle::wait() {
    if (!m_c) return;
    Parker parker;
    WaitNode node;
    node.parker = &parker;
    bool must_wait = false;
    {
        std::lock_guard lock(m_c->mu);
        if (!m_c->finished) {
            m_c->joiners.push_back(&node);
            must_wait = true;
        }
    }
    if (must_wait) parker.wait_thread();
    if (m_c->error) std::rethrow_exception(m_c->error);
}

void Completion::finish(std::exception_ptr err) noexcept {
    WaitQueue woken;
    {
        std::lock_guard lock(mu);
        finished = true;
        error = std::move(err);
        while (WaitNode* n = joiners.pop_claimed()) woken.push_back(n);
    }
    while (WaitNode* n = woken.front()) {
        woken.remove(n);
        wake(*n->parker, task_id, nullptr);
    }
}

}  // namespace cs::rt
