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

void Completion::finish_and_release(std::exception_ptr err) noexcept {
    const uint64_t id = task_id;
    WaitQueue woken;
    {
        std::lock_guard lock(mu);
        finished = true;
        error = std::move(err);
        while (WaitNode* n = joiners.pop_claimed()) woken.push_back(n);
    }
    // The task lets go before waking anyone: a woken joiner still holds its handle, so the last
    // release, and with it the exception's destruction, happens on the thread that read it.
    release();
    while (WaitNode* n = woken.front()) {
        woken.remove(n);
        wake(*n->parker, id, nullptr);
    }
}

}  // namespace cs::rt
