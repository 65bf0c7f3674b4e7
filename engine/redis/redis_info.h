#pragma once
// RedisInfo: the numbers a Redis monitor shows, read from one INFO reply, and the rates between
// two samples — ops/s, the keyspace hit rate (since the server started, and over the last
// window, from the deltas), memory, evictions, expirations, clients.
//
//   RedisInfo now = parse_info(client.command_blocking({"INFO"}).str, Clock::now());
//   InfoRates r = rates(previous, now);  // hit_rate_window, ops_per_sec...
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace cs::redis {

struct RedisInfo {
    std::chrono::steady_clock::time_point at{};
    std::map<std::string, std::string, std::less<>> fields;  // every "name:value" line

    uint64_t total_commands = 0;     // total_commands_processed
    uint64_t ops_per_sec = 0;        // instantaneous_ops_per_sec, the server's own estimate
    uint64_t keyspace_hits = 0, keyspace_misses = 0;
    uint64_t used_memory = 0;        // bytes
    uint64_t evicted_keys = 0, expired_keys = 0;
    uint64_t connected_clients = 0;

    // Hits over hits + misses since the server started; 0 with no lookups yet.
    double hit_rate() const noexcept;
};

// Reads an INFO reply (sections, "name:value" lines, CRLF or LF). Unknown fields are kept in
// `fields`; missing ones stay 0.
RedisInfo parse_info(std::string_view text, std::chrono::steady_clock::time_point at);

struct InfoRates {
    double seconds = 0;             // between the two samples
    double ops_per_sec = 0;         // commands processed per second over the window
    double hit_rate_window = 0;     // hits / (hits + misses) over the window; 0 if none
    uint64_t hits = 0, misses = 0;  // in the window
    uint64_t evicted = 0, expired = 0;
};
// The window from `before` to `after` (a restarted server's counters start again from 0: the
// window then counts from 0).
InfoRates rates(const RedisInfo& before, const RedisInfo& after);

}  // namespace cs::redis
