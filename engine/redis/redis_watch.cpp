#include "redis/redis_watch.h"

#include "redis/redis_error.h"
#include "runtime/errors.h"

namespace cs::redis {

namespace {

// Short timeouts: a watch must notice a dead server within an interval or two, and its thread
// must stop promptly when the view closes.
RedisClientOptions watch_options(std::chrono::milliseconds interval) {
    RedisClientOptions o;
    o.connect.connect_timeout = std::chrono::milliseconds(1000);
    o.connect.command_timeout = std::chrono::milliseconds(1000);
    o.idle_connections = 1;
    o.backoff = {.first = std::min(interval, std::chrono::milliseconds(100)),
                 .max = std::max(interval, std::chrono::milliseconds(100)),
                 .jitter = 0.2};
    return o;
}

}  // namespace

RedisWatch::RedisWatch(RedisUrl url, std::chrono::milliseconds interval)
    : m_interval(interval),
      m_url(url),
      m_client(url, watch_options(interval)),
      m_monitor(m_client) {
    if (interval < std::chrono::milliseconds(50) || interval > std::chrono::hours(1))
        rt::throw_out_of_range("Redis watch interval (ms)", interval.count(), "50 .. 3600000");
    m_view.url = url.text();
    m_view.health = m_client.health();
    m_thread = std::thread([this] { run(); });
}

RedisWatch::~RedisWatch() {
    {
        std::lock_guard lock(m_mu);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

RedisView RedisWatch::latest() const {
    std::lock_guard lock(m_mu);
    RedisView v = m_view;
    v.health = m_client.health();
    return v;
}

MonitorSample RedisWatch::sample(std::vector<ClusterSample::Node>& masters) {
    if (!m_is_cluster)
        m_is_cluster = ClusterClient::is_cluster_node(m_client);
    if (!*m_is_cluster) return m_monitor.sample();
    if (!m_cluster) m_cluster = std::make_unique<ClusterMonitor>(m_url, watch_options(m_interval));
    ClusterSample s = m_cluster->sample();
    masters = std::move(s.nodes);
    return s.total;
}

void RedisWatch::run() {
    std::unique_lock lock(m_mu);
    while (!m_stop) {
        lock.unlock();
        std::optional<MonitorSample> sample;
        std::vector<ClusterSample::Node> masters;
        std::string error;
        try {
            sample = this->sample(masters);
        } catch (const RedisError& e) {
            error = e.what();
        }
        lock.lock();
        if (sample) {
            m_view.sample = std::move(sample);
            m_view.masters = std::move(masters);
            ++m_view.samples;
        }
        m_view.error = std::move(error);
        m_wake.wait_for(lock, m_interval, [&] { return m_stop; });
    }
}

}  // namespace cs::redis
