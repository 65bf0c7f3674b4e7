#include "runtime/select.h"

namespace cs::rt::detail {

void SelectCore::lock_all() {
    for (size_t i = 0; i < m_locks; ++i) m_lock_order[i]->lock();
}

void SelectCore::unlock_all() {
    for (size_t i = m_locks; i-- > 0;) m_lock_order[i]->unlock();
}

bool SelectCore::poll(TaskControl* self) {
    // Lock order: by address, each channel once (a channel may appear in several cases), so two
    // selects over the same channels cannot deadlock each other.
    if (m_n <= m_lock_order_small.size()) {
        m_lock_order = m_lock_order_small.data();
    } else {
        m_lock_order_big.reset(new SpinLock*[m_n]);
        m_lock_order = m_lock_order_big.get();
    }
    m_locks = 0;
    int default_index = -1;
    for (size_t i = 0; i < m_n; ++i) {
        if (m_cases[i]->is_default) default_index = static_cast<int>(i);
        if (m_cases[i]->lock) m_lock_order[m_locks++] = m_cases[i]->lock;
    }
    // Insertion sort: selects have a handful of cases.
    for (size_t i = 1; i < m_locks; ++i) {
        for (size_t j = i; j > 0 && m_lock_order[j] < m_lock_order[j - 1]; --j)
            std::swap(m_lock_order[j], m_lock_order[j - 1]);
    }
    m_locks = static_cast<size_t>(std::unique(m_lock_order, m_lock_order + m_locks) - m_lock_order);

    // Poll order: a uniformly random permutation (Fisher-Yates), so no ready case is favoured.
    std::array<uint16_t, 16> order_small;
    std::unique_ptr<uint16_t[]> order_big;
    uint16_t* order = order_small.data();
    if (m_n > order_small.size()) {
        order_big.reset(new uint16_t[m_n]);
        order = order_big.get();
    }
    Rng& rng = self->sched->rng();
    for (size_t i = 0; i < m_n; ++i) {
        size_t j = rng.below(static_cast<uint32_t>(i + 1));
        order[i] = order[j];
        order[j] = static_cast<uint16_t>(i);
    }

    lock_all();
    for (size_t k = 0; k < m_n; ++k) {
        size_t i = order[k];
        SelectCase* c = m_cases[i];
        if (!c->lock) continue;
        WaitNode* woken = nullptr;
        BlockedTime* charge = nullptr;
        if (c->try_now(woken, charge)) {
            unlock_all();
            if (woken) wake(*woken->parker, c->object, charge);
            m_chosen = static_cast<int>(i);
            return true;
        }
    }
    if (default_index >= 0) {
        unlock_all();
        m_chosen = default_index;
        return true;
    }
    return false;
}

void SelectCore::park(TaskControl* self, std::coroutine_handle<> h) {
    m_parker.task = self;
    uint64_t object = 0;
    WaitReason reason = WaitReason::select;
    size_t live_cases = 0;
    for (size_t i = 0; i < m_n; ++i) {
        SelectCase* c = m_cases[i];
        if (!c->lock) continue;
        if (!object) object = c->object;
        if (++live_cases == 1) reason = c->reason();
        WaitNode& node = m_nodes[i];
        node.parker = &m_parker;
        node.select = &m_state;
        node.case_index = static_cast<int>(i);
        c->enqueue(node);
    }
    if (live_cases != 1) reason = WaitReason::select;
    if (m_label_reason != WaitReason::none) {
        reason = m_label_reason;
        object = m_label_object;
    }
    park_current(self, h, reason, object);
    unlock_all();  // from here a waker may resume us on another worker
}

void SelectCore::after_wake() {
    lock_all();
    for (size_t i = 0; i < m_n; ++i) {
        if (m_nodes[i].queued) m_cases[i]->dequeue(m_nodes[i]);
    }
    unlock_all();
    m_chosen = m_state.winner.load(std::memory_order_acquire);
    if (m_chosen >= 0) m_cases[m_chosen]->finish(m_nodes[m_chosen]);
}

}  // namespace cs::rt::detail
