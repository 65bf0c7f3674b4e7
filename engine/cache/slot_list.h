#pragma once
// SlotList: an intrusive doubly linked list of slots over arrays, the building block of the LRU
// segments in every policy. O(1) push, unlink, move; the links of all lists live in one Links
// table, so a slot can move between lists (segments) without allocating.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cache/eviction_policy.h"

namespace cs::cache {

// A slot's two links side by side: moving it touches one cache line, not two.
class SlotLinks {
  public:
    void ensure(Slot s) {
        if (s >= m_links.size()) m_links.resize(size_t(s) + 1, Links{no_slot, no_slot});
    }
    void relocate(const Relocation& new_slot_of) {
        m_links = relocated(m_links, new_slot_of, Links{no_slot, no_slot});
        for (Links& l : m_links) {
            l.prev = relocated(l.prev, new_slot_of);
            l.next = relocated(l.next, new_slot_of);
        }
    }
    Slot& prev(Slot s) { return m_links[s].prev; }
    Slot& next(Slot s) { return m_links[s].next; }
    // Starts loading the links of `slots` and then of their neighbours, which a batch of
    // move-to-front calls is about to touch.
    void prefetch_neighbourhood(const Slot* slots, size_t count) const {
        for (size_t i = 0; i < count; ++i) __builtin_prefetch(&m_links[slots[i]], 1);
        for (size_t i = 0; i < count; ++i) {
            const Links& l = m_links[slots[i]];
            if (l.prev != no_slot) __builtin_prefetch(&m_links[l.prev], 1);
            if (l.next != no_slot) __builtin_prefetch(&m_links[l.next], 1);
        }
    }

  private:
    struct Links {
        Slot prev, next;
    };
    std::vector<Links> m_links;
};

// Most recent at the head, least recent at the tail.
class SlotList {
  public:
    explicit SlotList(SlotLinks& links) : m_links(&links) {}

    void push_front(Slot s) {
        m_links->prev(s) = no_slot;
        m_links->next(s) = m_head;
        if (m_head != no_slot) m_links->prev(m_head) = s;
        m_head = s;
        if (m_tail == no_slot) m_tail = s;
        ++m_size;
    }
    void unlink(Slot s) {
        Slot p = m_links->prev(s), n = m_links->next(s);
        (p == no_slot ? m_head : m_links->next(p)) = n;
        (n == no_slot ? m_tail : m_links->prev(n)) = p;
        --m_size;
    }
    void move_to_front(Slot s) {
        if (m_head == s) return;
        unlink(s);
        push_front(s);
    }
    void relocate(const Relocation& new_slot_of) {
        m_head = relocated(m_head, new_slot_of);
        m_tail = relocated(m_tail, new_slot_of);
    }
    Slot tail() const noexcept { return m_tail; }
    Slot head() const noexcept { return m_head; }
    Slot next_of(Slot s) const { return m_links->next(s); }
    bool empty() const noexcept { return m_head == no_slot; }
    size_t size() const noexcept { return m_size; }

  private:
    SlotLinks* m_links;
    Slot m_head = no_slot, m_tail = no_slot;
    size_t m_size = 0;
};

}  // namespace cs::cache
