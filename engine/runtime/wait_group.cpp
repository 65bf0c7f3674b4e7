#include "runtime/wait_group.h"

#include <mutex>
#include <string>

#include "runtime/errors.h"

namespace cs::rt {

WaitGroup::~WaitGroup() {
    m_waiters.abandon_all();
}

void WaitGroup::add(int64_t delta) {
    int64_t now = m_count.fetch_add(delta, std::memory_order_acq_rel) + delta;
    if (now < 0) {
        m_count.fetch_sub(delta, std::memory_order_acq_rel);
        throw UsageError("negative WaitGroup counter (" + std::to_string(now) + ")");
    }
    if (now != 0) return;
    WaitQueue to_wake;
    {
        std::lock_guard lock(m_mu);
        if (m_count.load(std::memory_order_acquire) != 0) return;  // re-used meanwhile
        while (WaitNode* n = m_waiters.pop_claimed()) to_wake.push_back(n);
    }
    while (WaitNode* n = to_wake.front()) {
        to_wake.remove(n);
        wake(*n->parker, 0, nullptr);
    }
}

void WaitGroup::wait_blocking() {
    Parker parker;
    WaitNode node;
    node.parker = &parker;
    {
        std::lock_guard lock(m_mu);
        if (m_count.load(std::memory_order_acquire) == 0) return;
        m_waiters.push_back(&node);
    }
    parker.wait_thread();
}

}  // namespace cs::rt
