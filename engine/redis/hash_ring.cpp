#include "redis/hash_ring.h"

#include <algorithm>

#include "cache/key_hash.h"
#include "runtime/errors.h"

namespace cs::redis {

HashRing::HashRing(int points_per_node) : m_points_per_node(points_per_node) {
    if (points_per_node < 1 || points_per_node > 10'000)
        rt::throw_out_of_range("hash ring points per node", points_per_node, "1 .. 10000");
}

void HashRing::add_node(const std::string& name) {
    if (name.empty()) throw rt::InvalidArgument("hash ring node: the name is empty");
    if (std::find(m_nodes.begin(), m_nodes.end(), name) != m_nodes.end())
        throw rt::InvalidArgument("hash ring node \"" + name + "\" is already on the ring");
    m_nodes.push_back(name);
    rebuild();
}

bool HashRing::remove_node(const std::string& name) {
    auto it = std::find(m_nodes.begin(), m_nodes.end(), name);
    if (it == m_nodes.end()) return false;
    m_nodes.erase(it);
    rebuild();
    return true;
}

// A node's points depend on its name alone, so the other nodes' points stay where they were.
void HashRing::rebuild() {
    m_ring.clear();
    m_ring.reserve(m_nodes.size() * size_t(m_points_per_node));
    for (uint32_t n = 0; n < m_nodes.size(); ++n)
        for (int p = 0; p < m_points_per_node; ++p)
            m_ring.push_back({cache::hash_key(m_nodes[n] + "#" + std::to_string(p)), n});
    std::sort(m_ring.begin(), m_ring.end(), [](const Point& a, const Point& b) {
        return a.hash != b.hash ? a.hash < b.hash : a.node < b.node;
    });
}

const std::string& HashRing::node_for(std::string_view key) const {
    if (m_ring.empty()) throw rt::UsageError("hash ring: no node to own \"" + std::string(key) + "\"");
    uint64_t h = cache::hash_key(key);
    auto it = std::lower_bound(m_ring.begin(), m_ring.end(), h,
                               [](const Point& p, uint64_t v) { return p.hash < v; });
    if (it == m_ring.end()) it = m_ring.begin();  // past the last point: round to the first
    return m_nodes[it->node];
}

}  // namespace cs::redis
