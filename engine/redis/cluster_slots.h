#pragma once
// Redis Cluster's hash slots: which of the 16384 slots a key belongs to (CRC16-XMODEM of the key,
// or of its {hash tag}, so that keys sharing a tag share a slot and may meet in one command),
// which master serves each slot (SlotMap, read from CLUSTER SLOTS), and what an error reply that
// redirects a command says (MOVED: the slot lives elsewhere now; ASK: this key is being
// migrated, ask there once; TRYAGAIN: the slot is being migrated, retry).
//
//   uint16_t s = key_slot("{user:42}.cart");   // the slot of "user:42"
//   SlotMap map = SlotMap::from_cluster_slots(reply, "10.0.0.5");
//   if (const NodeAddress* owner = map.owner(s)) connect(owner->host, owner->port);
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "redis/redis_reply.h"

namespace cs::redis {

constexpr uint16_t cluster_slot_count = 16384;

uint16_t crc16_xmodem(std::string_view bytes) noexcept;
// What of the key is hashed: the text between the first '{' and the next '}' when that is not
// empty, else the whole key (the rules of the Redis Cluster specification).
std::string_view hash_tag(std::string_view key) noexcept;
uint16_t key_slot(std::string_view key) noexcept;  // 0 .. 16383

struct NodeAddress {
    std::string host;  // empty in a redirect: the host of the node that sent it
    int port = 0;
    std::string text() const;  // "host:port", IPv6 hosts in brackets
    bool operator==(const NodeAddress&) const = default;
};

// Which master serves each slot. Not thread-safe: a client guards it.
class SlotMap {
  public:
    // The masters of a CLUSTER SLOTS reply; `asked_host` stands in for a master given without a
    // host (Redis announces "" when it does not know its own address). Throws
    // RedisError(protocol) for a reply of another shape.
    static SlotMap from_cluster_slots(const Reply& reply, const std::string& asked_host);

    const NodeAddress* owner(uint16_t slot) const noexcept;  // null: no master serves it
    void assign(uint16_t slot, const NodeAddress& node);      // what a MOVED says
    // The masters serving at least one slot, in the order first met.
    std::vector<NodeAddress> masters() const;
    size_t covered() const noexcept;  // slots that have a master
    bool empty() const noexcept { return covered() == 0; }

  private:
    size_t index_of(const NodeAddress& node);
    std::vector<NodeAddress> m_nodes;
    std::vector<int32_t> m_owner = std::vector<int32_t>(cluster_slot_count, -1);  // into m_nodes
};

struct Redirect {
    enum class Kind { none, moved, ask, tryagain };
    Kind kind = Kind::none;
    uint16_t slot = 0;
    NodeAddress to;  // moved and ask
};
// What an error reply's text says; Kind::none for every other error.
Redirect parse_redirect(std::string_view error_text);

}  // namespace cs::redis
