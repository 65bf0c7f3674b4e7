#pragma once
// RedisAccess: the Redis a scenario run talks to — the server the user named (--redis URL) or,
// without one, a private redis-server started on first use on a free loopback port and stopped
// with the run. A scenario that never asks starts nothing. Extra private servers serve the
// partitioning lesson, which needs several nodes. A URL naming a node of a Redis Cluster is used
// as the whole cluster (ClusterClient) by the nodes that take any router.
//
// Thread-safe. Start servers from a thread that outlives them (the one building the run).
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "redis/redis_router.h"
#include "redis/redis_server_process.h"

namespace cs::scenario {

// A scenario needs Redis and there is none: no URL was given and redis-server is not installed.
class RedisUnavailable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class RedisAccess {
  public:
    // Throws redis::RedisError(bad_url) for a URL that does not parse.
    explicit RedisAccess(std::optional<std::string> url);
    ~RedisAccess();

    // The run's server. Starts the private one on first use; throws RedisUnavailable.
    redis::RedisUrl url();
    // The run's Redis as the nodes share it: the cluster when the URL given names a node of a
    // Redis Cluster, else one client of that server. (Which one is asked of the server on first
    // use; one that cannot be reached then is taken for a single server.)
    redis::RedisRouter& router();
    // Whether router() is a cluster; a node that needs a single server (the near cache: client-
    // side caching tracks keys per connection) refuses it.
    bool is_cluster();
    // The n-th server of a partitioned keyspace (0 is url()): private servers started on first
    // use. With a URL given, only that one exists (n > 0 throws RedisUnavailable).
    redis::RedisUrl node(size_t n);

    // "redis://127.0.0.1:PORT (private)" or the URL given (password-free); "" if never used.
    std::string describe() const;

  private:
    redis::RedisUrl start_private(size_t n);  // holding m_mu

    mutable std::mutex m_mu;
    std::optional<redis::RedisUrl> m_given;
    std::vector<std::unique_ptr<redis::RedisServerProcess>> m_private;
    std::unique_ptr<redis::RedisRouter> m_router;
    bool m_cluster = false;
};

}  // namespace cs::scenario
