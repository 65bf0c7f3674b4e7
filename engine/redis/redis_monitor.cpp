#include "redis/redis_monitor.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "runtime/errors.h"

namespace cs::redis {

namespace {
double ms(rt::Duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}
}  // namespace

double MonitorSample::ops_per_sec() const noexcept {
    return window ? window->ops_per_sec : double(info.ops_per_sec);
}

double MonitorSample::hit_rate_window() const noexcept {
    return window ? window->hit_rate_window : info.hit_rate();
}

void check_pings_per_sample(int pings) {
    if (pings < 1 || pings > 1000)
        rt::throw_out_of_range("Redis monitor pings per sample", pings, "1 .. 1000");
}

RedisMonitor::RedisMonitor(RedisClient& client, int pings_per_sample)
    : m_client(client), m_pings(pings_per_sample) {
    check_pings_per_sample(m_pings);
}

MonitorSample RedisMonitor::sample() {
    MonitorSample s;
    patterns::LatencyHistogram ping;
    for (int i = 0; i < m_pings; ++i) {
        auto start = std::chrono::steady_clock::now();
        m_client.command_blocking({"PING"});
        ping.record(std::chrono::steady_clock::now() - start);
    }
    s.ping = ping.summary();
    s.info = parse_info(m_client.command_blocking({"INFO"}).str, std::chrono::steady_clock::now());
    if (m_previous) s.window = rates(*m_previous, s.info);
    m_previous = s.info;
    return s;
}

std::string monitor_json(const MonitorSample& s) {
    return monitor_fields(s).dump();
}

nlohmann::ordered_json monitor_fields(const MonitorSample& s) {
    nlohmann::ordered_json j;
    j["ops_per_sec"] = s.ops_per_sec();
    j["keyspace_hits"] = s.info.keyspace_hits;
    j["keyspace_misses"] = s.info.keyspace_misses;
    j["hit_rate"] = s.info.hit_rate();
    j["hit_rate_window"] = s.hit_rate_window();
    j["used_memory"] = s.info.used_memory;
    j["evicted_keys"] = s.info.evicted_keys;
    j["expired_keys"] = s.info.expired_keys;
    j["connected_clients"] = s.info.connected_clients;
    j["latency_ms"] = {{"p50", ms(s.ping.p50)}, {"p99", ms(s.ping.p99)}, {"max", ms(s.ping.max)}};
    return j;
}

std::string monitor_down_json(const std::string& error) {
    nlohmann::ordered_json j;
    j["state"] = "down";
    j["error"] = error;
    return j.dump();
}

std::string monitor_text(const MonitorSample& s) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "ops/s %9.0f  hit rate %6.2f%% (window %6.2f%%)  memory %8.1f MiB  "
                  "evicted %llu  expired %llu  clients %llu  ping p50 %.3f ms p99 %.3f ms",
                  s.ops_per_sec(), 100 * s.info.hit_rate(), 100 * s.hit_rate_window(),
                  double(s.info.used_memory) / (1024.0 * 1024.0),
                  (unsigned long long)s.info.evicted_keys, (unsigned long long)s.info.expired_keys,
                  (unsigned long long)s.info.connected_clients, ms(s.ping.p50), ms(s.ping.p99));
    return line;
}

}  // namespace cs::redis
