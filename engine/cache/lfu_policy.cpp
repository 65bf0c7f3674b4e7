// LFU: evict the least frequently used entry; among equals, the least recently used. Counts
// only what happened while the entry was resident, and never forgets (which is why a once
// popular entry can squat: the lesson LFU teaches next to W-TinyLFU).
#include <map>

#include "cache/slot_list.h"

namespace cs::cache {
namespace {

class LfuPolicy final : public EvictionPolicy {
  public:
    explicit LfuPolicy(uint64_t capacity) : m_capacity(capacity) {}

    bool admit(Slot slot, uint64_t, uint64_t cost, std::vector<Slot>& evicted) override {
        if (cost > m_capacity) return false;
        ensure(slot);
        m_cost[slot] = cost;
        make_room(cost, evicted);
        m_freq[slot] = 1;
        bucket(1).push_front(slot);
        m_weight += cost;
        return true;
    }
    void on_hit(Slot slot) override {
        uint64_t f = m_freq[slot];
        leave_bucket(slot, f);
        m_freq[slot] = f + 1;
        bucket(f + 1).push_front(slot);
    }
    void on_remove(Slot slot) override {
        leave_bucket(slot, m_freq[slot]);
        m_weight -= m_cost[slot];
    }
    void on_update(Slot slot, uint64_t, uint64_t new_cost, std::vector<Slot>& evicted) override {
        uint64_t f = m_freq[slot];
        on_remove(slot);
        if (new_cost > m_capacity) {
            evicted.push_back(slot);
            return;
        }
        m_cost[slot] = new_cost;
        make_room(new_cost, evicted);
        m_freq[slot] = f;
        bucket(f).push_front(slot);
        m_weight += new_cost;
    }
    void relocate(const Relocation& new_slot_of) override {
        m_links.relocate(new_slot_of);
        for (auto& [freq, list] : m_buckets) list.relocate(new_slot_of);
        m_cost = relocated(m_cost, new_slot_of);
        m_freq = relocated(m_freq, new_slot_of);
    }
    uint64_t cost_of(Slot slot) const override { return m_cost[slot]; }
    uint64_t capacity() const noexcept override { return m_capacity; }
    uint64_t weight() const noexcept override { return m_weight; }

  private:
    void ensure(Slot s) {
        m_links.ensure(s);
        if (s >= m_cost.size()) {
            m_cost.resize(size_t(s) + 1, 0);
            m_freq.resize(size_t(s) + 1, 0);
        }
    }
    SlotList& bucket(uint64_t f) { return m_buckets.try_emplace(f, m_links).first->second; }
    void leave_bucket(Slot slot, uint64_t f) {
        auto it = m_buckets.find(f);
        it->second.unlink(slot);
        if (it->second.empty()) m_buckets.erase(it);
    }
    void make_room(uint64_t cost, std::vector<Slot>& evicted) {
        while (m_weight + cost > m_capacity && !m_buckets.empty()) {
            auto lowest = m_buckets.begin();
            Slot victim = lowest->second.tail();
            leave_bucket(victim, lowest->first);
            m_weight -= m_cost[victim];
            evicted.push_back(victim);
        }
    }

    uint64_t m_capacity, m_weight = 0;
    SlotLinks m_links;
    std::map<uint64_t, SlotList> m_buckets;  // frequency -> entries, most recent first
    std::vector<uint64_t> m_cost, m_freq;
};

}  // namespace

std::unique_ptr<EvictionPolicy> make_lfu_policy(uint64_t capacity) {
    return std::make_unique<LfuPolicy>(capacity);
}

}  // namespace cs::cache
