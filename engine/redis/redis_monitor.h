#pragma once
// RedisMonitor: one sample of a live Redis as its monitor shows it — INFO's numbers, the rates
// since the previous sample, and the PING round-trip time (like redis-cli --latency: a few
// pings per sample, percentiles). Blocking; a GUI polls it from a thread or the blocking pool.
//
//   RedisMonitor monitor(client);
//   MonitorSample s = monitor.sample();   // every interval
//   print(monitor_json(s));
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "patterns/latency_histogram.h"
#include "redis/redis_client.h"
#include "redis/redis_info.h"

namespace cs::redis {

struct MonitorSample {
    RedisInfo info;
    std::optional<InfoRates> window;  // since the previous sample; none for the first
    patterns::LatencySummary ping;    // this sample's PING round trips

    // ops/s over the window, or the server's instantaneous figure for the first sample.
    double ops_per_sec() const noexcept;
    // The window's hit rate, or the cumulative one for the first sample.
    double hit_rate_window() const noexcept;
};

// Throws rt::InvalidArgument unless 1 .. 1000.
void check_pings_per_sample(int pings);

class RedisMonitor {
  public:
    explicit RedisMonitor(RedisClient& client, int pings_per_sample = 10);  // pings: 1 .. 1000
    // Throws RedisError when Redis cannot be reached (the next sample tries again).
    MonitorSample sample();

  private:
    RedisClient& m_client;
    const int m_pings;
    std::optional<RedisInfo> m_previous;
};

// One JSON object on one line: ops_per_sec, keyspace_hits, keyspace_misses, hit_rate,
// hit_rate_window, used_memory, evicted_keys, expired_keys, connected_clients,
// latency_ms {p50, p99, max}.
std::string monitor_json(const MonitorSample& s);
// The same fields as a JSON object, to go into a larger one.
nlohmann::ordered_json monitor_fields(const MonitorSample& s);
// A sample that could not be read: {"state":"down","error":"..."} on one line.
std::string monitor_down_json(const std::string& error);
// The same as one line of text for a terminal.
std::string monitor_text(const MonitorSample& s);

}  // namespace cs::redis
