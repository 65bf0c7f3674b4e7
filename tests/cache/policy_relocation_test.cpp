// relocate(): a policy whose slots were moved behaves exactly like a twin that kept them —
// the same entries leave in the same order (seen through the move), with the same costs — for
// every policy, whether the move reverses the slots or scatters them over a larger range.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>

#include "cache/eviction_policy.h"
#include "cache/policy_simulator.h"

namespace cs::test {
namespace {

using cache::PolicyKind;
using cache::Relocation;
using cache::Slot;

constexpr uint64_t capacity = 40;

// Two policies fed the same calls; `moved` sees every slot through `where`.
struct Twins {
    std::unique_ptr<cache::EvictionPolicy> kept, moved;
    std::set<Slot> resident;             // kept's slots
    Relocation relocation;               // empty until relocated
    Slot fresh = 0;                      // kept's next slot: it never reuses one
    Slot kept_next = 0, moved_next = 0;  // the first fresh slot of each after the relocation

    explicit Twins(PolicyKind kind)
        : kept(cache::make_policy(kind, capacity, 500)),
          moved(cache::make_policy(kind, capacity, 500)) {}

    Slot where(Slot s) const {
        if (relocation.empty()) return s;
        return s < kept_next ? relocation[s] : moved_next + (s - kept_next);
    }
    std::vector<Slot> where(const std::vector<Slot>& slots) const {
        std::vector<Slot> out;
        for (Slot s : slots) out.push_back(where(s));
        return out;
    }

    // A missed key into a fresh slot: both must agree on admission and evict the same entries.
    Slot admit(uint64_t key, uint64_t cost) {
        Slot s = fresh++;
        std::vector<Slot> ev_kept, ev_moved;
        kept->on_miss(cache::mix_hash(key));
        moved->on_miss(cache::mix_hash(key));
        bool in_kept = kept->admit(s, cache::mix_hash(key), cost, ev_kept);
        bool in_moved = moved->admit(where(s), cache::mix_hash(key), cost, ev_moved);
        EXPECT_EQ(in_kept, in_moved) << "key " << key;
        EXPECT_EQ(where(ev_kept), ev_moved) << "key " << key;
        for (Slot e : ev_kept) resident.erase(e);
        if (in_kept) resident.insert(s);
        return in_kept ? s : cache::no_slot;
    }
    void hit(Slot s) {
        kept->on_hit(s);
        moved->on_hit(where(s));
    }
    void hits(const std::vector<Slot>& slots) {
        kept->on_hits(slots.data(), slots.size());
        std::vector<Slot> w = where(slots);
        moved->on_hits(w.data(), w.size());
    }
    void remove(Slot s) {
        kept->on_remove(s);
        moved->on_remove(where(s));
        resident.erase(s);
    }
    void update(Slot s, uint64_t key, uint64_t cost) {
        std::vector<Slot> ev_kept, ev_moved;
        kept->on_update(s, cache::mix_hash(key), cost, ev_kept);
        moved->on_update(where(s), cache::mix_hash(key), cost, ev_moved);
        ASSERT_EQ(where(ev_kept), ev_moved);
        for (Slot e : ev_kept) resident.erase(e);
    }
    void expect_same_costs() const {
        EXPECT_EQ(kept->weight(), moved->weight());
        for (Slot s : resident) EXPECT_EQ(kept->cost_of(s), moved->cost_of(where(s))) << s;
    }
};

// Keys 0 .. 59 (in slots 0 .. 59) with costs 1 .. 3, hits on some, a few removed: every
// segment holds something.
void fill(Twins& t, std::mt19937_64& rng) {
    for (uint64_t key = 0; key < 60; ++key) {
        t.admit(key, 1 + rng() % 3);
        if (rng() % 2 && !t.resident.empty()) {
            auto it = t.resident.begin();
            std::advance(it, rng() % t.resident.size());
            for (int i = 0, n = 1 + int(rng() % 3); i < n; ++i) t.hit(*it);
        }
        if (rng() % 9 == 0 && !t.resident.empty()) t.remove(*t.resident.rbegin());
    }
}

Relocation reversed(const Twins& t, Slot top) {
    Relocation r(top, cache::no_slot);
    for (Slot s : t.resident) r[s] = top - 1 - s;
    return r;
}
// Shuffled over three times the range, with gaps between.
Relocation scattered(const Twins& t, Slot top, std::mt19937_64& rng) {
    std::vector<Slot> order(top);
    for (Slot i = 0; i < top; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    Relocation r(top, cache::no_slot);
    for (Slot s : t.resident) r[s] = 3 * order[s] + 5;
    return r;
}

void run(PolicyKind kind, bool scatter) {
    std::mt19937_64 rng(scatter ? 21 : 12);
    Twins t(kind);
    fill(t, rng);
    ASSERT_GE(t.resident.size(), 12u);
    Slot top = t.fresh;
    t.relocation = scatter ? scattered(t, top, rng) : reversed(t, top);
    Slot moved_top = 0;
    for (Slot s : t.relocation)
        if (s != cache::no_slot) moved_top = std::max(moved_top, Slot(s + 1));
    t.kept_next = t.fresh;
    t.moved_next = moved_top + 7;  // the moved twin's fresh slots start past a gap
    t.moved->relocate(t.relocation);
    t.expect_same_costs();

    // Hits (single and batched) and an update on entries that were moved ...
    std::vector<Slot> old(t.resident.begin(), t.resident.end());
    t.hit(old[0]);
    t.hits({old[1], old[2], old[1]});
    t.update(old[3], old[3], 3);
    t.expect_same_costs();
    // ... then newcomers, some of them popular (W-TinyLFU only lets those in), until most moved
    // entries are gone: every step must evict the same entries from both.
    for (uint64_t key = 1000; key < 1000 + 10 * capacity; ++key) {
        uint64_t cost = 1 + rng() % 3, requests = 1 + key % 5;
        Slot s = cache::no_slot;  // W-TinyLFU turns a key away until it was asked for enough
        for (uint64_t i = 0; s == cache::no_slot && i < requests; ++i) s = t.admit(key, cost);
        for (uint64_t i = 0; s != cache::no_slot && i < requests; ++i) t.hit(s);
        if (key % 7 == 0 && !t.resident.empty())
            t.hit(*t.resident.begin());  // most often a moved entry
        if (::testing::Test::HasFailure()) return;
    }
    size_t gone = 0;
    for (Slot s : old) gone += t.resident.count(s) == 0;
    EXPECT_GE(gone, old.size() / 2) << "the churn left most moved entries alone";
    t.expect_same_costs();
}

TEST(PolicyRelocation, AReversedPolicyEvictsInTheSameOrderAsItsTwin) {
    for (PolicyKind kind : cache::all_policy_kinds) {
        SCOPED_TRACE(cache::to_string(kind));
        run(kind, false);
    }
}

TEST(PolicyRelocation, APolicyScatteredOverALargerRangeEvictsInTheSameOrderAsItsTwin) {
    for (PolicyKind kind : cache::all_policy_kinds) {
        SCOPED_TRACE(cache::to_string(kind));
        run(kind, true);
    }
}

}  // namespace
}  // namespace cs::test
