#include "scenario/redis_access.h"

#include "redis/cluster_client.h"
#include "redis/redis_client.h"
#include "redis/redis_error.h"

namespace cs::scenario {

RedisAccess::RedisAccess(std::optional<std::string> url) {
    if (url) m_given = redis::with_credentials(redis::parse_redis_url(*url), {});
}

RedisAccess::~RedisAccess() = default;

redis::RedisUrl RedisAccess::start_private(size_t n) {
    if (!redis::RedisServerProcess::available())
        throw RedisUnavailable(
            "this scenario needs Redis: pass --redis redis://host:port, or install redis-server "
            "(scripts/deps.sh does) so that a private one is started on a free loopback port");
    while (m_private.size() <= n)
        m_private.push_back(std::make_unique<redis::RedisServerProcess>());
    return redis::parse_redis_url(m_private[n]->url());
}

redis::RedisUrl RedisAccess::url() {
    return node(0);
}

redis::RedisUrl RedisAccess::node(size_t n) {
    std::lock_guard lock(m_mu);
    if (m_given) {
        if (n == 0) return *m_given;
        throw RedisUnavailable("this scenario needs " + std::to_string(n + 1) +
                               " Redis servers and --redis names one: run it without --redis so "
                               "that private servers are started");
    }
    return start_private(n);
}

redis::RedisRouter& RedisAccess::router() {
    redis::RedisUrl u = url();
    std::lock_guard lock(m_mu);
    if (m_router) return *m_router;
    if (m_given) {
        try {
            redis::RedisClient asking(u);
            m_cluster = redis::ClusterClient::is_cluster_node(asking);
        } catch (const redis::RedisError&) {
            // Down for now: a single server's client waits for it, and says so in its health.
        }
    }
    if (m_cluster)
        m_router = std::make_unique<redis::ClusterClient>(std::vector<redis::RedisUrl>{u});
    else
        m_router = std::make_unique<redis::RedisClient>(u);
    return *m_router;
}

bool RedisAccess::is_cluster() {
    router();
    std::lock_guard lock(m_mu);
    return m_cluster;
}

std::string RedisAccess::describe() const {
    std::lock_guard lock(m_mu);
    if (m_given) return m_given->text() + (m_cluster ? " (a Redis Cluster)" : "");
    if (m_private.empty()) return "";
    std::string text = m_private[0]->url() + " (private";
    if (m_private.size() > 1) text += ", and " + std::to_string(m_private.size() - 1) + " more";
    return text + ")";
}

}  // namespace cs::scenario
