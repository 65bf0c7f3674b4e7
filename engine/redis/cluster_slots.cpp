#include "redis/cluster_slots.h"

#include <charconv>

#include "redis/redis_error.h"

namespace cs::redis {

uint16_t crc16_xmodem(std::string_view bytes) noexcept {
    uint16_t crc = 0;
    for (unsigned char byte : bytes) {
        crc ^= uint16_t(byte << 8);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? uint16_t((crc << 1) ^ 0x1021) : uint16_t(crc << 1);
    }
    return crc;
}

std::string_view hash_tag(std::string_view key) noexcept {
    size_t open = key.find('{');
    if (open == std::string_view::npos) return key;
    size_t close = key.find('}', open + 1);
    if (close == std::string_view::npos || close == open + 1) return key;
    return key.substr(open + 1, close - open - 1);
}

uint16_t key_slot(std::string_view key) noexcept {
    return uint16_t(crc16_xmodem(hash_tag(key)) % cluster_slot_count);
}

std::string NodeAddress::text() const {
    bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

namespace {

[[noreturn]] void bad_slots(const std::string& why) {
    throw RedisError(RedisErrorKind::protocol, "CLUSTER SLOTS answered in an unknown shape: " + why);
}

long long integer_of(const Reply& r, const char* what) {
    if (r.type != Reply::Type::integer) bad_slots(std::string(what) + " is not an integer");
    return r.integer;
}

}  // namespace

SlotMap SlotMap::from_cluster_slots(const Reply& reply, const std::string& asked_host) {
    if (reply.type != Reply::Type::array) bad_slots("not an array");
    SlotMap map;
    for (const Reply& range : reply.elements) {
        // [start, end, [host, port, id, ...], replicas...]
        if (range.type != Reply::Type::array || range.elements.size() < 3)
            bad_slots("a range is not [start, end, master, ...]");
        long long first = integer_of(range.elements[0], "a range's start");
        long long last = integer_of(range.elements[1], "a range's end");
        if (first < 0 || last >= cluster_slot_count || first > last)
            bad_slots("range " + std::to_string(first) + "-" + std::to_string(last) +
                      " is outside 0-16383");
        const Reply& master = range.elements[2];
        if (master.type != Reply::Type::array || master.elements.size() < 2 ||
            master.elements[0].type != Reply::Type::string)
            bad_slots("a master is not [host, port, ...]");
        NodeAddress node{master.elements[0].str, int(integer_of(master.elements[1], "a port"))};
        if (node.host.empty() || node.host == "?") node.host = asked_host;
        int32_t index = int32_t(map.index_of(node));
        for (long long slot = first; slot <= last; ++slot) map.m_owner[size_t(slot)] = index;
    }
    return map;
}

size_t SlotMap::index_of(const NodeAddress& node) {
    for (size_t i = 0; i < m_nodes.size(); ++i)
        if (m_nodes[i] == node) return i;
    m_nodes.push_back(node);
    return m_nodes.size() - 1;
}

const NodeAddress* SlotMap::owner(uint16_t slot) const noexcept {
    int32_t index = m_owner[slot % cluster_slot_count];
    return index < 0 ? nullptr : &m_nodes[size_t(index)];
}

void SlotMap::assign(uint16_t slot, const NodeAddress& node) {
    m_owner[slot % cluster_slot_count] = int32_t(index_of(node));
}

std::vector<NodeAddress> SlotMap::masters() const {
    std::vector<bool> serving(m_nodes.size(), false);
    for (int32_t index : m_owner)
        if (index >= 0) serving[size_t(index)] = true;
    std::vector<NodeAddress> out;
    for (size_t i = 0; i < m_nodes.size(); ++i)
        if (serving[i]) out.push_back(m_nodes[i]);
    return out;
}

size_t SlotMap::covered() const noexcept {
    size_t n = 0;
    for (int32_t index : m_owner) n += index >= 0;
    return n;
}

Redirect parse_redirect(std::string_view text) {
    Redirect r;
    if (text.starts_with("TRYAGAIN")) {
        r.kind = Redirect::Kind::tryagain;
        return r;
    }
    // "MOVED 3999 127.0.0.1:6381", "ASK 3999 127.0.0.1:6381"; an IPv6 host is not bracketed,
    // and the host may be empty (":6381": the node that answered).
    Redirect::Kind kind = text.starts_with("MOVED ") ? Redirect::Kind::moved
                          : text.starts_with("ASK ") ? Redirect::Kind::ask
                                                     : Redirect::Kind::none;
    if (kind == Redirect::Kind::none) return r;
    text.remove_prefix(text.find(' ') + 1);
    size_t space = text.find(' ');
    if (space == std::string_view::npos) return r;
    unsigned slot = 0;
    auto [slot_end, slot_error] = std::from_chars(text.data(), text.data() + space, slot);
    std::string_view address = text.substr(space + 1);
    size_t colon = address.rfind(':');
    int port = 0;
    if (slot_error != std::errc() || slot_end != text.data() + space || slot >= cluster_slot_count ||
        colon == std::string_view::npos)
        return r;
    auto [port_end, port_error] =
        std::from_chars(address.data() + colon + 1, address.data() + address.size(), port);
    if (port_error != std::errc() || port_end != address.data() + address.size()) return r;
    r.kind = kind;
    r.slot = uint16_t(slot);
    r.to = NodeAddress{std::string(address.substr(0, colon)), port};
    return r;
}

}  // namespace cs::redis
