#include "redis/cluster_monitor.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "redis/redis_error.h"

namespace cs::redis {

struct ClusterMonitor::Watched {
    Watched(const RedisUrl& url, const RedisClientOptions& options, int pings)
        : client(url, options), monitor(client, pings) {}
    RedisClient client;
    RedisMonitor monitor;
};

ClusterMonitor::ClusterMonitor(const RedisUrl& seed, RedisClientOptions client, int pings)
    : m_cluster({seed}, {.client = client}), m_client_options(client), m_pings(pings) {
    check_pings_per_sample(pings);
}

ClusterMonitor::~ClusterMonitor() = default;

namespace {

// The masters' samples added up; the latency of the slowest. Throws when none was read.
MonitorSample total_of(const std::vector<ClusterSample::Node>& nodes) {
    MonitorSample total;
    InfoRates window;
    bool every_window = true;
    std::string errors;
    size_t read = 0;
    for (const ClusterSample::Node& n : nodes) {
        if (!n.sample) {
            errors += "; " + n.node + ": " + n.error;
            continue;
        }
        ++read;
        const RedisInfo& i = n.sample->info;
        RedisInfo& t = total.info;
        t.at = std::max(t.at, i.at);
        t.total_commands += i.total_commands;
        t.ops_per_sec += i.ops_per_sec;
        t.keyspace_hits += i.keyspace_hits;
        t.keyspace_misses += i.keyspace_misses;
        t.used_memory += i.used_memory;
        t.evicted_keys += i.evicted_keys;
        t.expired_keys += i.expired_keys;
        t.connected_clients += i.connected_clients;
        if (const auto& w = n.sample->window) {
            window.seconds = std::max(window.seconds, w->seconds);
            window.ops_per_sec += w->ops_per_sec;
            window.hits += w->hits;
            window.misses += w->misses;
            window.evicted += w->evicted;
            window.expired += w->expired;
        } else {
            every_window = false;
        }
        const patterns::LatencySummary& p = n.sample->ping;
        total.ping.count += p.count;
        total.ping.mean = std::max(total.ping.mean, p.mean);
        total.ping.p50 = std::max(total.ping.p50, p.p50);
        total.ping.p90 = std::max(total.ping.p90, p.p90);
        total.ping.p99 = std::max(total.ping.p99, p.p99);
        total.ping.max = std::max(total.ping.max, p.max);
    }
    if (read == 0)
        throw RedisError(RedisErrorKind::down, "no master of the Redis Cluster could be read" +
                                                   (errors.empty() ? std::string() : errors));
    if (every_window) {
        uint64_t lookups = window.hits + window.misses;
        window.hit_rate_window = lookups ? double(window.hits) / double(lookups) : 0;
        total.window = window;
    }
    return total;
}

}  // namespace

ClusterSample ClusterMonitor::sample() {
    try {
        m_cluster.refresh_topology();
    } catch (const RedisError&) {
        if (m_watched.empty()) throw;  // never reached: nothing to show
    }
    ClusterSample out;
    std::map<std::string, std::unique_ptr<Watched>> still_masters;
    for (const RedisUrl& url : m_cluster.nodes()) {
        ClusterSample::Node node{NodeAddress{url.host, url.port}.text(), std::nullopt, ""};
        auto found = m_watched.find(node.node);
        std::unique_ptr<Watched> watched =
            found != m_watched.end() ? std::move(found->second)
                                     : std::make_unique<Watched>(url, m_client_options, m_pings);
        try {
            node.sample = watched->monitor.sample();
        } catch (const RedisError& e) {
            node.error = e.what();
        }
        still_masters[node.node] = std::move(watched);
        out.nodes.push_back(std::move(node));
    }
    m_watched = std::move(still_masters);  // a master no longer serving slots is dropped
    out.total = total_of(out.nodes);
    return out;
}

std::string cluster_json(const ClusterSample& s) {
    nlohmann::ordered_json j = monitor_fields(s.total);
    j["masters"] = s.nodes.size();
    nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
    for (const ClusterSample::Node& n : s.nodes) {
        nlohmann::ordered_json node;
        node["node"] = n.node;
        if (n.sample) {
            node.update(monitor_fields(*n.sample));
        } else {
            node["state"] = "down";
            node["error"] = n.error;
        }
        nodes.push_back(std::move(node));
    }
    j["nodes"] = std::move(nodes);
    return j.dump();
}

std::string cluster_text(const ClusterSample& s) {
    size_t width = 7;  // "cluster"
    for (const ClusterSample::Node& n : s.nodes) width = std::max(width, n.node.size());
    auto padded = [&](const std::string& name) { return name + std::string(width - name.size(), ' '); };
    std::string out;
    for (const ClusterSample::Node& n : s.nodes)
        out += padded(n.node) + "  " + (n.sample ? monitor_text(*n.sample) : "down: " + n.error) + "\n";
    out += padded("cluster") + "  " + monitor_text(s.total);
    return out;
}

}  // namespace cs::redis
