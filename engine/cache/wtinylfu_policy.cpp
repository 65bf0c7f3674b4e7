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
        m_node[slot] = {key_hash, cost, Segment::window};
        m_sketch.increment(key_hash);
        m_window.push_front(slot);
        m_window_weight += cost;
        evict_from_window(evicted);
        auto self = std::find(evicted.begin(), evicted.end(), slot);
        if (self == evicted.end()) return true;
        evicted.erase(self);  // the newcomer itself lost its admission contest
        return false;
    }

    void on_hit(Slot slot) override {
        Node& n = m_node[slot];
        m_sketch.increment(n.hash);
        switch (n.segment) {
            case Segment::window:
                m_window.move_to_front(slot);
                break;
            case Segment::probation:  // seen again: promote
                m_probation.unlink(slot);
                m_probation_weight -= n.cost;
                n.segment = Segment::protected_;
                m_protected.push_front(slot);
                m_protected_weight += n.cost;
                demote_protected_overflow();
                break;
            case Segment::protected_:
                m_protected.move_to_front(slot);
                break;
        }
    }

    // Node, sketch block and links of every slot are requested before the first is updated, so
    // the misses of a batch overlap instead of queueing one after another.
    void on_hits(const Slot* slots, size_t count) override {
        for (size_t i = 0; i < count; ++i) __builtin_prefetch(&m_node[slots[i]]);
        for (size_t i = 0; i < count; ++i) m_sketch.prefetch(m_node[slots[i]].hash);
        m_links.prefetch_neighbourhood(slots, count);
        for (size_t i = 0; i < count; ++i) on_hit(slots[i]);
    }

    void on_remove(Slot slot) override { unlink(slot); }

    // A new value counts as an access (as in Caffeine): the entry stays in its segment, at the
    // front, with its new cost; whatever no longer fits leaves from the cold ends.
    void on_update(Slot slot, uint64_t, uint64_t new_cost, std::vector<Slot>& evicted) override {
        if (new_cost > m_capacity) {
            unlink(slot);
            evicted.push_back(slot);
            return;
        }
        Node& n = m_node[slot];
        segment_weight(n.segment) += new_cost - n.cost;  // unsigned wrap-around nets out
        n.cost = new_cost;
        on_hit(slot);
        demote_protected_overflow();
        evict_from_window(evicted);
        while (weight() > m_capacity) {
            Slot victim = main_victim();
            if (victim == no_slot) victim = m_window.tail();
            unlink(victim);
            evicted.push_back(victim);
        }
    }

    void relocate(const Relocation& new_slot_of) override {
        m_links.relocate(new_slot_of);
        for (SlotList* l : {&m_window, &m_probation, &m_protected}) l->relocate(new_slot_of);
        m_node = relocated(m_node, new_slot_of);
    }
    uint64_t cost_of(Slot slot) const override { return m_node[slot].cost; }
    uint64_t capacity() const noexcept override { return m_capacity; }
    uint64_t weight() const noexcept override {
        return m_window_weight + m_probation_weight + m_protected_weight;
    }

  private:
    // What the policy keeps per slot, together so that a hit reads one line of it.
    struct Node {
        uint64_t hash = 0;
        uint64_t cost = 0;
        Segment segment = Segment::window;
    };

    void ensure(Slot s) {
        m_links.ensure(s);
        if (s >= m_node.size()) m_node.resize(size_t(s) + 1);
    }

    SlotList& segment_list(Segment seg) {
        return seg == Segment::window ? m_window
               : seg == Segment::probation ? m_probation
                                           : m_protected;
    }
    uint64_t& segment_weight(Segment seg) {
        return seg == Segment::window ? m_window_weight
               : seg == Segment::probation ? m_probation_weight
                                           : m_protected_weight;
    }

    void unlink(Slot slot) {
        const Node& n = m_node[slot];
        segment_list(n.segment).unlink(slot);
        segment_weight(n.segment) -= n.cost;
    }

    // Entries pushed out of the window compete with the main region's victim.
    void evict_from_window(std::vector<Slot>& evicted) {
        while (m_window_weight > m_window_capacity && !m_window.empty()) {
            Slot candidate = m_window.tail();
            m_window.unlink(candidate);
            uint64_t cost = m_node[candidate].cost;
            m_window_weight -= cost;
            if (main_weight() + cost > m_main_capacity) {
                Slot victim = main_victim();
                if (victim == no_slot || cost > m_main_capacity ||
                    m_sketch.frequency(m_node[candidate].hash) <=
                        m_sketch.frequency(m_node[victim].hash)) {
                    evicted.push_back(candidate);  // lost the contest: it was not popular enough
                    continue;
                }
                while (main_weight() + cost > m_main_capacity) {
                    Slot v = main_victim();
                    unlink(v);
                    evicted.push_back(v);
                }
            }
            m_node[candidate].segment = Segment::probation;
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
            m_protected_weight -= m_node[s].cost;
            m_node[s].segment = Segment::probation;
            m_probation.push_front(s);
            m_probation_weight += m_node[s].cost;
        }
    }

    const uint64_t m_capacity, m_window_capacity, m_main_capacity, m_protected_capacity;
    uint64_t m_window_weight = 0, m_probation_weight = 0, m_protected_weight = 0;
    FrequencySketch m_sketch;
    SlotLinks m_links;
    SlotList m_window{m_links}, m_probation{m_links}, m_protected{m_links};
    std::vector<Node> m_node;  // by slot
};

}  // namespace

std::unique_ptr<EvictionPolicy> make_wtinylfu_policy(uint64_t capacity, uint64_t expected_entries) {
    return std::make_unique<WTinyLfuPolicy>(capacity, expected_entries);
}

}  // namespace cs::cache
