#pragma once
// ClusterMonitor: a Redis Cluster watched as redis stat watches one server — a RedisMonitor
// sample of every master (the masters found again from CLUSTER SLOTS each time, so a resharding
// or a failover shows) and their total: ops/s, keyspace hits and misses, hit rates (the window's
// from the summed deltas), memory, evicted and expired keys and clients added up, and the PING
// latency of the slowest master. A master that cannot be reached is listed as down with its
// error; the total is then of the others. Blocking, like RedisMonitor.
//
//   ClusterMonitor monitor({parse_redis_url("redis://10.0.0.5:7000")});
//   ClusterSample s = monitor.sample();          // every interval
//   print(cluster_json(s));
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "redis/cluster_client.h"
#include "redis/redis_monitor.h"

namespace cs::redis {

struct ClusterSample {
    struct Node {
        std::string node;                     // "host:port"
        std::optional<MonitorSample> sample;  // none: it could not be read
        std::string error;                    // why not
    };
    std::vector<Node> nodes;  // the masters, in the slot map's order
    MonitorSample total;      // of the masters read
};

class ClusterMonitor {
  public:
    // `seed`: a node of the cluster (its credentials log in to every node); `client`: for the
    // client of each master (its backoff decides how soon a master that was down is tried).
    explicit ClusterMonitor(const RedisUrl& seed, RedisClientOptions client = {},
                            int pings_per_sample = 10);
    ~ClusterMonitor();
    // Throws RedisError when no master can be read (the next sample tries again).
    ClusterSample sample();

  private:
    struct Watched;
    ClusterClient m_cluster;  // finds the masters
    const RedisClientOptions m_client_options;
    const int m_pings;
    std::map<std::string, std::unique_ptr<Watched>> m_watched;  // by node
};

// One line: the total's fields as monitor_json has them, then "nodes": [{"node": ..., the same
// fields} or {"node": ..., "state": "down", "error": ...}].
std::string cluster_json(const ClusterSample& s);
// A line per master, then the total's.
std::string cluster_text(const ClusterSample& s);

}  // namespace cs::redis
