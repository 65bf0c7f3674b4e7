// LRU: evict the least recently used entry.
#include "cache/slot_list.h"

namespace cs::cache {
namespace {

class LruPolicy final : public EvictionPolicy {
  public:
    explicit LruPolicy(uint64_t capacity) : m_capacity(capacity) {}

    bool admit(Slot slot, uint64_t, uint64_t cost, std::vector<Slot>& evicted) override {
        if (cost > m_capacity) return false;
        ensure(slot);
        m_cost[slot] = cost;
        make_room(cost, evicted);
        m_list.push_front(slot);
        m_weight += cost;
        return true;
    }
    void on_hit(Slot slot) override { m_list.move_to_front(slot); }
    void on_hits(const Slot* slots, size_t count) override {
        m_links.prefetch_neighbourhood(slots, count);
        for (size_t i = 0; i < count; ++i) on_hit(slots[i]);
    }
    void on_remove(Slot slot) override {
        m_list.unlink(slot);
        m_weight -= m_cost[slot];
    }
    void on_update(Slot slot, uint64_t, uint64_t new_cost, std::vector<Slot>& evicted) override {
        m_list.unlink(slot);
        m_weight -= m_cost[slot];
        if (new_cost > m_capacity) {
            evicted.push_back(slot);
            return;
        }
        m_cost[slot] = new_cost;
        make_room(new_cost, evicted);
        m_list.push_front(slot);
        m_weight += new_cost;
    }
    void relocate(const Relocation& new_slot_of) override {
        m_links.relocate(new_slot_of);
        m_list.relocate(new_slot_of);
        m_cost = relocated(m_cost, new_slot_of);
    }
    uint64_t cost_of(Slot slot) const override { return m_cost[slot]; }
    uint64_t capacity() const noexcept override { return m_capacity; }
    uint64_t weight() const noexcept override { return m_weight; }

  private:
    void ensure(Slot s) {
        m_links.ensure(s);
        if (s >= m_cost.size()) m_cost.resize(size_t(s) + 1, 0);
    }
    void make_room(uint64_t cost, std::vector<Slot>& evicted) {
        while (m_weight + cost > m_capacity && !m_list.empty()) {
            Slot victim = m_list.tail();
            m_list.unlink(victim);
            m_weight -= m_cost[victim];
            evicted.push_back(victim);
        }
    }

    uint64_t m_capacity, m_weight = 0;
    SlotLinks m_links;
    SlotList m_list{m_links};
    std::vector<uint64_t> m_cost;
};

}  // namespace

std::unique_ptr<EvictionPolicy> make_lru_policy(uint64_t capacity) {
    return std::make_unique<LruPolicy>(capacity);
}

}  // namespace cs::cache
