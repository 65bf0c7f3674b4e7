// W-TinyLFU (Einziger, Friedman, Manes; the policy of Caffeine and Ristretto): a small LRU
// window (1%) takes every newcomer; what leaves the window must win a frequency contest
// against the main region's next victim to get in. The main region is a segmented LRU:
// probation (20%) for entries seen once there, protected (80%) for those hit again. Frequencies
// come from a count-min sketch that forgets by halving, so yesterday's hits fade.
#include <algorithm>

#include "cache/frequency_sketch.h"
#include "cache/slot_list.h"

namespace cs::cache {
namespace {

enum class Segment : uint8_t { window, probation, protected_ };

class WTinyLfuPolicy final : public EvictionPolicy {
  public:
    WTinyLfuPolicy(uint64_t capacity, uint64_t expected_entries)
        : m_capacity(capacity),
          m_window_capacity(std::max<uint64_t>(1, capacity / 100)),
          m_main_capacity(capacity - std::min(capacity, m_window_capacity)),
          m_protected_capacity(m_main_capacity * 8 / 10),
          m_sketch(std::max<uint64_t>(expected_entries, capacity)) {}

    bool admit(Slot slot, uint64_t key_hash, uint64_t cost, std::vector<Slot>& evicted) override {
        if (cost > m_capacity) return false;
        ensure(slot);
        m_hash[slot] = key_hash;
        m_cost[slot] = cost;
        m_sketch.increment(key_hash);
        m_segment[slot] = Segment::window;
        m_window.push_front(slot);
        m_window_weight += cost;
        evict_from_window(evicted);
        auto self = std::find(evicted.begin(), evicted.end(), slot);
        if (self == evicted.end()) return true;
        evicted.erase(self);  // the newcomer itself lost its admission contest
        return false;
    }

    void on_hit(Slot slot, uint64_t key_hash) override {
        m_sketch.increment(key_hash);
        switch (m_segment[slot]) {
            case Segment::window:
                m_window.move_to_front(slot);
                break;
            case Segment::probation:  // seen again: promote
                m_probation.unlink(slot);
                m_probation_weight -= m_cost[slot];
                m_segment[slot] = Segment::protected_;
                m_protected.push_front(slot);
                m_protected_weight += m_cost[slot];
                demote_protected_overflow();
                break;
            case Segment::protected_:
                m_protected.move_to_front(slot);
                break;
        }
    }

    void on_remove(Slot slot) override { unlink(slot); }

    void on_update(Slot slot, uint64_t key_hash, uint64_t new_cost,
                   std::vector<Slot>& evicted) override {
        unlink(slot);
        if (!admit(slot, key_hash, new_cost, evicted)) evicted.push_back(slot);
    }

    uint64_t capacity() const noexcept override { return m_capacity; }
    uint64_t weight() const noexcept override {
        return m_window_weight + m_probation_weight + m_protected_weight;
    }

  private:
    void ensure(Slot s) {
        m_links.ensure(s);
        if (s >= m_cost.size()) {
            m_cost.resize(size_t(s) + 1, 0);
            m_hash.resize(size_t(s) + 1, 0);
            m_segment.resize(size_t(s) + 1, Segment::window);
        }
    }

    void unlink(Slot slot) {
        switch (m_segment[slot]) {
            case Segment::window:
                m_window.unlink(slot);
                m_window_weight -= m_cost[slot];
                break;
            case Segment::probation:
                m_probation.unlink(slot);
                m_probation_weight -= m_cost[slot];
                break;
            case Segment::protected_:
                m_protected.unlink(slot);
                m_protected_weight -= m_cost[slot];
                break;
        }
    }

    // Entries pushed out of the window compete with the main region's victim.
    void evict_from_window(std::vector<Slot>& evicted) {
        while (m_window_weight > m_window_capacity && !m_window.empty()) {
            Slot candidate = m_window.tail();
            m_window.unlink(candidate);
            m_window_weight -= m_cost[candidate];
            uint64_t cost = m_cost[candidate];
            if (main_weight() + cost > m_main_capacity) {
                Slot victim = main_victim();
                if (victim == no_slot || cost > m_main_capacity ||
                    m_sketch.frequency(m_hash[candidate]) <= m_sketch.frequency(m_hash[victim])) {
                    evicted.push_back(candidate);  // lost the contest: it was not popular enough
                    continue;
                }
                while (main_weight() + cost > m_main_capacity) {
                    Slot v = main_victim();
                    unlink(v);
                    evicted.push_back(v);
                }
            }
            m_segment[candidate] = Segment::probation;
            m_probation.push_front(candidate);
            m_probation_weight += cost;
        }
    }

    Slot main_victim() const {
        if (!m_probation.empty()) return m_probation.tail();
        return m_protected.empty() ? no_slot : m_protected.tail();
    }
    uint64_t main_weight() const { return m_probation_weight + m_protected_weight; }

    void demote_protected_overflow() {
        while (m_protected_weight > m_protected_capacity && !m_protected.empty()) {
            Slot s = m_protected.tail();
            m_protected.unlink(s);
            m_protected_weight -= m_cost[s];
            m_segment[s] = Segment::probation;
            m_probation.push_front(s);
            m_probation_weight += m_cost[s];
        }
    }

    const uint64_t m_capacity, m_window_capacity, m_main_capacity, m_protected_capacity;
    uint64_t m_window_weight = 0, m_probation_weight = 0, m_protected_weight = 0;
    FrequencySketch m_sketch;
    SlotLinks m_links;
    SlotList m_window{m_links}, m_probation{m_links}, m_protected{m_links};
    std::vector<uint64_t> m_cost, m_hash;
    std::vector<Segment> m_segment;
};

}  // namespace

std::unique_ptr<EvictionPolicy> make_wtinylfu_policy(uint64_t capacity, uint64_t expected_entries) {
    return std::make_unique<WTinyLfuPolicy>(capacity, expected_entries);
}

}  // namespace cs::cache
