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
        return select->winner.compare_exchange_strong(expected, case_index, std::memory_order_acq_rel);
    }
};

class WaitQueue {
public:
    bool empty() const noexcept { return m_head == nullptr; }
    size_t size() const noexcept { return m_size; }
    WaitNode* front() const noexcept { return m_head; }

    void push_back(WaitNode* n) noexcept {
        n->prev = m_tail;
        n->next = nullptr;
        if (m_tail) m_tail->next = n;
        else m_head = n;
        m_tail = n;
        n->queued = true;
        ++m_size;
    }

    void remove(WaitNode* n) noexcept {
        if (!n->queued) return;
        if (n->prev) n->prev->next = n->next;
        else m_head = n->next;
        if (n->next) n->next->prev = n->prev;
        else m_tail = n->prev;
        n->prev = n->next = nullptr;
        n->queued = false;
        --m_size;
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
        for (WaitNode* n = m_head; n; n = n->next) {
            if (!n->select || n->select->winner.load(std::memory_order_acquire) < 0) return true;
        }
        return false;
    }

    // On the primitive's destruction: forget every node, so their owners do not unlink from a
    // dead queue.
    void abandon_all() noexcept {
        while (m_head) remove(m_head);
    }

private:
    WaitNode* m_head = nullptr;
    WaitNode* m_tail = nullptr;
    size_t m_size = 0;
};

}  // namespace cs::rt
