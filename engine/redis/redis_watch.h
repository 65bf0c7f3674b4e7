#pragma once
// RedisWatch: a live Redis watched in the background — a thread takes a monitor sample every
// interval (INFO, rates over the window, PING latency) and keeps the latest, with the client's
// health, for a view to read whenever it redraws. Reading never waits on Redis: a GUI's timer
// calls latest() and shows what is there, even while Redis is down or slow. A URL naming a node
// of a Redis Cluster is watched as the cluster: each master, and their total as the sample.
//
//   RedisWatch watch(parse_redis_url("redis://127.0.0.1:6379"), std::chrono::seconds(1));
//   RedisView v = watch.latest();   // any thread, any time
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "redis/cluster_monitor.h"
#include "redis/redis_client.h"
#include "redis/redis_monitor.h"

namespace cs::redis {

struct RedisView {
    std::string url;                     // password-free
    Health health;                       // of the watching client
    std::optional<MonitorSample> sample;  // the latest one read (a cluster's total); kept while down
    std::vector<ClusterSample::Node> masters;  // a cluster's, as last read; empty: one server
    std::string error;                   // why the latest attempt failed; "" after a success
    uint64_t samples = 0;                // read so far
};

class RedisWatch {
  public:
    // Starts watching at once. Throws rt::InvalidArgument for an interval outside 50ms .. 1h.
    RedisWatch(RedisUrl url, std::chrono::milliseconds interval);
    ~RedisWatch();  // stops the thread; a sample under way ends within its timeouts
    RedisWatch(const RedisWatch&) = delete;
    RedisWatch& operator=(const RedisWatch&) = delete;

    RedisView latest() const;

  private:
    void run();
    // One sample: of the server, or of the whole cluster it belongs to (asked on the first
    // success). Throws RedisError.
    MonitorSample sample(std::vector<ClusterSample::Node>& masters);

    const std::chrono::milliseconds m_interval;
    const RedisUrl m_url;
    RedisClient m_client;
    RedisMonitor m_monitor;
    std::optional<bool> m_is_cluster;           // the watch thread's
    std::unique_ptr<ClusterMonitor> m_cluster;  // the watch thread's
    mutable std::mutex m_mu;
    std::condition_variable m_wake;
    bool m_stop = false;
    RedisView m_view;
    std::thread m_thread;  // last: starts once the rest exists
};

}  // namespace cs::redis
