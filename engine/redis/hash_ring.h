#pragma once
// HashRing: consistent hashing over several standalone Redis nodes — each node stands at many
// points of a 64-bit ring (virtual nodes, so shares even out), and a key belongs to the first
// node point at or after its hash. Adding or removing one of N nodes moves only about 1/N of the
// keys, all to or from that node, where `hash % N` would move almost all. Not thread-safe
// (a partitioned client keeps it under its own lock).
//
//   HashRing ring;
//   ring.add_node("redis-a:6379"); ring.add_node("redis-b:6379");
//   const std::string& node = ring.node_for("user:42");
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cs::redis {

class HashRing {
  public:
    explicit HashRing(int points_per_node = 160);  // 1 .. 10000

    // Throws rt::InvalidArgument for a node already present (or an empty name).
    void add_node(const std::string& name);
    // False if no such node.
    bool remove_node(const std::string& name);

    // The node owning the key. Throws rt::UsageError on an empty ring.
    const std::string& node_for(std::string_view key) const;
    const std::vector<std::string>& nodes() const noexcept { return m_nodes; }
    bool empty() const noexcept { return m_nodes.empty(); }

  private:
    void rebuild();

    struct Point {
        uint64_t hash;
        uint32_t node;  // index in m_nodes
    };
    const int m_points_per_node;
    std::vector<std::string> m_nodes;
    std::vector<Point> m_ring;  // sorted by hash
};

}  // namespace cs::redis
