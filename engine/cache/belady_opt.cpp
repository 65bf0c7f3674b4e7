#include "cache/belady_opt.h"

#include <queue>
#include <unordered_map>

#include "runtime/errors.h"

namespace cs::cache {
namespace {

// A request is named by its position in the trace. `Index` is uint32_t for traces shorter than
// 2^32 requests (every trace the simulator reads), halving the memory of the next-use array.
template <class Index>
uint64_t opt_hits(const std::vector<uint64_t>& trace, uint64_t capacity) {
    const Index n = Index(trace.size());
    const Index never = n;  // "no later request for this key"

    // next_use[i]: the position of the next request for trace[i]'s key.
    std::vector<Index> next_use(n, never);
    {
        std::unordered_map<uint64_t, Index> last_seen;
        last_seen.reserve(trace.size() / 4 + 16);
        for (Index i = 0; i < n; ++i) {
            auto [it, fresh] = last_seen.try_emplace(trace[i], i);
            if (!fresh) {
                next_use[it->second] = i;
                it->second = i;
            }
        }
    }

    // A resident key is represented by the position of its next request: each position is the
    // next use of exactly one earlier request, so these are distinct, and "is the key requested
    // at i resident?" is "is position i among them?" — no map from keys needed.
    std::vector<bool> awaited(n, false);  // awaited[t]: a resident key is next requested at t
    std::priority_queue<Index> furthest;  // next uses of resident keys; stale ones skipped lazily
    uint64_t resident = 0, hits = 0;

    for (Index i = 0; i < n; ++i) {
        if (awaited[i]) {  // a hit: the key leaves its old place in the order, re-enters below
            ++hits;
            awaited[i] = false;
            --resident;
        }
        const Index t = next_use[i];
        // Never requested again: keeping it could only take room from a key that will be.
        if (t == never) continue;
        if (resident == capacity) {
            while (!awaited[furthest.top()]) furthest.pop();  // served or evicted already
            if (furthest.top() < t) continue;  // the newcomer is needed last: do not store it
            awaited[furthest.top()] = false;   // evict the key needed furthest in the future
            furthest.pop();
            --resident;
        }
        awaited[t] = true;
        furthest.push(t);
        ++resident;
    }
    return hits;
}

}  // namespace

uint64_t belady_opt_hits(const std::vector<uint64_t>& trace, uint64_t capacity) {
    if (capacity < 1)
        rt::throw_out_of_range("cache capacity", static_cast<long long>(capacity), "1 ..");
    if (trace.size() < uint64_t{UINT32_MAX}) return opt_hits<uint32_t>(trace, capacity);
    return opt_hits<uint64_t>(trace, capacity);
}

double belady_opt_hit_ratio(const std::vector<uint64_t>& trace, uint64_t capacity) {
    uint64_t hits = belady_opt_hits(trace, capacity);
    return trace.empty() ? 0.0 : double(hits) / double(trace.size());
}

}  // namespace cs::cache
