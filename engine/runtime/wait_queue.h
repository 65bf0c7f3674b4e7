#pragma once
// WaitNode and WaitQueue: how a parked task (or a blocked ordinary thread) sits in the queue of
// the primitive it waits on — Go's `sudog`. A node lives in the waiter's own coroutine frame or
// stack, so parking allocates nothing. Queues are intrusive, FIFO, and guarded by the owning
// primitive's lock.
//
// A select parks one node per case, all sharing one SelectState: the first waker to claim it
// wins, the others skip the node as if it were not there.
#include <atomic>
#include <cstdint>

namespace cs::rt {

struct TaskControl;

// Who to wake: a task (resumed by its scheduler) or an ordinary thread (woken from a futex wait).
struct Parker {
    TaskControl* task = nullptr;
    std::atomic<uint32_t> thread_woken{0};

    void wake() noexcept;         // defined in scheduler.cpp
    void wait_thread() noexcept;  // blocks an ordinary thread until wake()
};

struct SelectState {
    std::atomic<int> winner{-1};  // index of the case that fired, -1 while waiting
};

struct WaitNode {
    WaitNode* prev = nullptr;
    WaitNode* next = nullptr;
    bool queued = false;

    Parker* parker = nullptr;
    SelectState* select = nullptr;  // shared by the cases of one select; null otherwise
    int case_index = 0;

    void* slot = nullptr;  // send: the value to take; recv: where to put the received value
    bool ok = false;       // set by the waker: a value moved (true) or the channel closed (false)
    int64_t weight = 0;    // weighted waits (semaphore)

    // Claims the node for a waker. Always true outside a select.
    bool claim() noexcept {
        if (!select) return true;
        int expected = -1;
        return select->winner.compare_exchange_strong(expected, case_index,
                                                      std::memory_order_acq_rel);
    }
};

// A circular doubly-linked list reached through its head only (8 bytes), so that a channel's two
// queues fit in the cache line that holds the rest of its hot state.
class WaitQueue {
  public:
    bool empty() const noexcept { return m_head == nullptr; }
    WaitNode* front() const noexcept { return m_head; }
    size_t size() const noexcept {
        size_t n = 0;
        for_each([&](WaitNode*) { ++n; });
        return n;
    }

    void push_back(WaitNode* n) noexcept {
        if (!m_head) {
            n->prev = n->next = n;
            m_head = n;
        } else {
            WaitNode* tail = m_head->prev;
            n->prev = tail;
            n->next = m_head;
            tail->next = n;
            m_head->prev = n;
        }
        n->queued = true;
    }

    void remove(WaitNode* n) noexcept {
        if (!n->queued) return;
        if (n->next == n) {
            m_head = nullptr;
        } else {
            n->prev->next = n->next;
            n->next->prev = n->prev;
            if (m_head == n) m_head = n->next;
        }
        n->prev = n->next = nullptr;
        n->queued = false;
    }

    // Removes and returns the first node a waker may take, dropping nodes of selects that were
    // already won through another case. nullptr if none.
    WaitNode* pop_claimed() noexcept {
        while (WaitNode* n = m_head) {
            remove(n);
            if (n->claim()) return n;
        }
        return nullptr;
    }

    // Whether some node could be claimed right now (selects already won do not count).
    bool has_claimable() const noexcept {
        bool found = false;
        for_each([&](WaitNode* n) {
            if (!n->select || n->select->winner.load(std::memory_order_acquire) < 0) found = true;
        });
        return found;
    }

    // On the primitive's destruction: forget every node, so their owners do not unlink from a
    // dead queue.
    void abandon_all() noexcept {
        while (m_head) remove(m_head);
    }

  private:
    template <class F>
    void for_each(F&& f) const {
        if (!m_head) return;
        WaitNode* n = m_head;
        do {
            f(n);
            n = n->next;
        } while (n != m_head);
    }

    WaitNode* m_head = nullptr;
};

}  // namespace cs::rt
