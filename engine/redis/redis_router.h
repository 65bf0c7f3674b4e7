#pragma once
// RedisRouter: sends a command about a key to the server that holds that key — one server
// (RedisClient), a consistent-hash ring of standalone servers, or a Redis Cluster (which follows
// MOVED and ASK redirects). The Redis cache tier and the distributed rate limiter talk to a
// router, so they run unchanged over one node, several partitioned nodes or a cluster.
//
//   Reply r = co_await router.command_for("user:1", {"GET", "user:1"});
//   auto rs = co_await router.pipeline_for({{"a", {"GET", "a"}}, {"b", {"GET", "b"}}});
//   Reply n = router.command_for_blocking("hits", {"INCR", "hits"});  // an ordinary thread
#include <string>
#include <vector>

#include "redis/redis_reply.h"
#include "redis/redis_url.h"
#include "runtime/task.h"

namespace cs::redis {

// A command and the key that decides where it goes. Every key the command names must live with
// `key` (the same server; in a cluster, the same hash slot: use {hash tags}).
struct KeyedCommand {
    std::string key;
    Command args;
};

class RedisRouter {
  public:
    virtual ~RedisRouter() = default;

    // Throws RedisError as RedisClient::command does; an error reply throws reply_error.
    virtual rt::Task<Reply> command_for(std::string key, Command args) = 0;
    // The commands grouped by server, one pipeline (one round trip) per server, the replies in
    // the order given. Error replies come back as Reply::Type::error, not thrown.
    virtual rt::Task<std::vector<Reply>> pipeline_for(std::vector<KeyedCommand> commands) = 0;
    // command_for from an ordinary thread (a CLI, the GUI, a test), blocking it. Not pure, so a
    // router without it still builds: the default throws rt::UsageError naming what to do.
    virtual Reply command_for_blocking(const std::string& key, const Command& args);
    // The servers keys are spread over now (one for a single server), for monitors and the GUI.
    virtual std::vector<RedisUrl> nodes() const = 0;
};

}  // namespace cs::redis
