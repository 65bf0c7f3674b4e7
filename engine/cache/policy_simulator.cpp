#include "cache/policy_simulator.h"

namespace cs::cache {

PolicySimulator::PolicySimulator(PolicyKind kind, uint64_t capacity,
                                 uint64_t expected_distinct_keys)
    : m_policy(make_policy(kind, capacity, expected_distinct_keys)) {}

bool PolicySimulator::access(uint64_t key) {
    uint64_t hash = mix_hash(key);
    if (auto it = m_slot_of.find(key); it != m_slot_of.end()) {
        m_policy->on_hit(it->second);
        ++m_hits;
        return true;
    }
    ++m_misses;
    m_policy->on_miss(hash);
    Slot slot;
    if (!m_free.empty()) {
        slot = m_free.back();
        m_free.pop_back();
    } else {
        slot = Slot(m_key_of.size());
        m_key_of.push_back(0);
    }
    m_evicted.clear();
    bool admitted = m_policy->admit(slot, hash, 1, m_evicted);
    for (Slot s : m_evicted) {
        m_slot_of.erase(m_key_of[s]);
        m_free.push_back(s);
    }
    if (admitted) {
        m_key_of[slot] = key;
        m_slot_of.emplace(key, slot);
    } else {
        m_free.push_back(slot);
    }
    return false;
}

double PolicySimulator::hit_ratio() const noexcept {
    uint64_t total = m_hits + m_misses;
    return total ? double(m_hits) / double(total) : 0.0;
}

}  // namespace cs::cache
