#include "redis/redis_info.h"

#include <charconv>

namespace cs::redis {

namespace {

uint64_t number_field(const RedisInfo& info, std::string_view name) {
    auto it = info.fields.find(name);
    if (it == info.fields.end()) return 0;
    uint64_t value = 0;
    std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    return value;
}

// A counter's growth; a counter that went down belongs to a restarted server, counting from 0.
uint64_t growth(uint64_t before, uint64_t after) {
    return after >= before ? after - before : after;
}

}  // namespace

double RedisInfo::hit_rate() const noexcept {
    uint64_t lookups = keyspace_hits + keyspace_misses;
    return lookups ? double(keyspace_hits) / double(lookups) : 0.0;
}

RedisInfo parse_info(std::string_view text, std::chrono::steady_clock::time_point at) {
    RedisInfo info;
    info.at = at;
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        info.fields.emplace(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    }
    info.total_commands = number_field(info, "total_commands_processed");
    info.ops_per_sec = number_field(info, "instantaneous_ops_per_sec");
    info.keyspace_hits = number_field(info, "keyspace_hits");
    info.keyspace_misses = number_field(info, "keyspace_misses");
    info.used_memory = number_field(info, "used_memory");
    info.evicted_keys = number_field(info, "evicted_keys");
    info.expired_keys = number_field(info, "expired_keys");
    info.connected_clients = number_field(info, "connected_clients");
    return info;
}

InfoRates rates(const RedisInfo& before, const RedisInfo& after) {
    InfoRates r;
    r.seconds = std::chrono::duration<double>(after.at - before.at).count();
    r.hits = growth(before.keyspace_hits, after.keyspace_hits);
    r.misses = growth(before.keyspace_misses, after.keyspace_misses);
    r.evicted = growth(before.evicted_keys, after.evicted_keys);
    r.expired = growth(before.expired_keys, after.expired_keys);
    if (r.seconds > 0)
        r.ops_per_sec = double(growth(before.total_commands, after.total_commands)) / r.seconds;
    if (r.hits + r.misses > 0) r.hit_rate_window = double(r.hits) / double(r.hits + r.misses);
    return r;
}

}  // namespace cs::redis
