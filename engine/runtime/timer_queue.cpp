#include "runtime/timer_queue.h"

#include <utility>

namespace cs::rt {

bool TimerQueue::less(const TimerNode* a, const TimerNode* b) const {
    if (a->when != b->when) return a->when < b->when;
    return a->order < b->order;
}

void TimerQueue::sift_up(size_t i) {
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!less(m_heap[i], m_heap[parent])) break;
        std::swap(m_heap[i], m_heap[parent]);
        m_heap[i]->heap_index = static_cast<int32_t>(i);
        m_heap[parent]->heap_index = static_cast<int32_t>(parent);
        i = parent;
    }
}

void TimerQueue::sift_down(size_t i) {
    for (;;) {
        size_t smallest = i, l = 2 * i + 1, r = l + 1;
        if (l < m_heap.size() && less(m_heap[l], m_heap[smallest])) smallest = l;
        if (r < m_heap.size() && less(m_heap[r], m_heap[smallest])) smallest = r;
        if (smallest == i) return;
        std::swap(m_heap[i], m_heap[smallest]);
        m_heap[i]->heap_index = static_cast<int32_t>(i);
        m_heap[smallest]->heap_index = static_cast<int32_t>(smallest);
        i = smallest;
    }
}

void TimerQueue::erase_at(size_t i) {
    TimerNode* t = m_heap[i];
    t->heap_index = -1;
    TimerNode* last = m_heap.back();
    m_heap.pop_back();
    if (i == m_heap.size()) return;
    m_heap[i] = last;
    last->heap_index = static_cast<int32_t>(i);
    sift_down(i);
    sift_up(i);
}

void TimerQueue::add(TimerNode* t) {
    std::lock_guard lock(m_mu);
    t->order = m_next_order++;
    t->heap_index = static_cast<int32_t>(m_heap.size());
    m_heap.push_back(t);
    sift_up(m_heap.size() - 1);
}

bool TimerQueue::remove(TimerNode* t) {
    bool removed = false;
    {
        std::lock_guard lock(m_mu);
        if (t->heap_index >= 0) {
            erase_at(static_cast<size_t>(t->heap_index));
            removed = true;
        }
    }
    // A periodic timer may be mid-callback (popped, about to be re-armed); wait for the batch.
    std::lock_guard wait_for_callbacks(m_fire_mu);
    if (!removed) {
        std::lock_guard lock(m_mu);
        if (t->heap_index >= 0) {  // re-armed by the batch we waited for
            erase_at(static_cast<size_t>(t->heap_index));
            removed = true;
        }
    }
    return removed;
}

std::optional<TimePoint> TimerQueue::next_deadline() const {
    std::lock_guard lock(m_mu);
    if (m_heap.empty()) return std::nullopt;
    return m_heap.front()->when;
}

size_t TimerQueue::pending() const {
    std::lock_guard lock(m_mu);
    return m_heap.size() + m_firing;
}

void TimerQueue::dispose_all() {
    std::vector<TimerNode*> left;
    {
        std::lock_guard lock(m_mu);
        for (TimerNode* t : m_heap) t->heap_index = -1;
        left.swap(m_heap);
    }
    for (TimerNode* t : left) {
        if (t->dispose) t->dispose(t);
    }
}

size_t TimerQueue::fire_due(TimePoint now) {
    std::lock_guard firing(m_fire_mu);
    std::vector<TimerNode*> due;
    {
        std::lock_guard lock(m_mu);
        while (!m_heap.empty() && m_heap.front()->when <= now) {
            due.push_back(m_heap.front());
            erase_at(0);
        }
        m_firing = due.size();
    }
    for (TimerNode* t : due) {
        // Re-arm before firing: a one-shot's callback may free it, a periodic one is owned by
        // its ticker, which can only free it through remove() (blocked on m_fire_mu meanwhile).
        if (t->period.count() > 0) {
            std::lock_guard lock(m_mu);
            t->when += t->period;
            if (t->when <= now) t->when = now + t->period;  // skipped ticks are dropped, as in Go
            t->order = m_next_order++;
            t->heap_index = static_cast<int32_t>(m_heap.size());
            m_heap.push_back(t);
            sift_up(m_heap.size() - 1);
        }
        t->fire(t);
        std::lock_guard lock(m_mu);
        --m_firing;
    }
    return due.size();
}

}  // namespace cs::rt
