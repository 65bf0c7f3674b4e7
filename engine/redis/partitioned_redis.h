#pragma once
// PartitionedRedis: several standalone Redis servers used as one cache — client-side sharding.
// A consistent-hash ring (HashRing) picks the server of each key; each server has its own
// RedisClient (pool and health), so one server down fails only the keys it owns while the
// others keep working.
//
// Servers can be added and removed while tasks use it. Nothing is copied between servers: a key
// simply starts going to its new owner, where it is not (yet), so after adding one of N servers
// about 1/N of the keys read as misses until they are loaded again, and the old copies expire
// or get evicted where they were. That is right for a cache and wrong for data that must not
// be lost: keep such data in a Redis Cluster, which moves keys with their slots.
//
// A server's name on the ring is its URL without credentials ("redis://10.0.0.5:6379/2"), so
// changing a password does not move keys. Thread-safe.
//
//   PartitionedRedis shards({parse_redis_url("redis://10.0.0.5:6379"),
//                            parse_redis_url("redis://10.0.0.6:6379")});
//   RedisCache users(engine, shards, {.name = "users"});   // as over one server
//   shards.add_node(parse_redis_url("redis://10.0.0.7:6379"));
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redis/hash_ring.h"
#include "redis/redis_client.h"
#include "redis/redis_router.h"

namespace cs::redis {

struct PartitionedRedisOptions {
    RedisClientOptions client{};  // for each server's client
    int points_per_node = 160;    // places of each server on the ring, 1 .. 10000 (more: evener)
};

// Of a set of keys, how many one server owns (for the GUI's distribution view).
struct NodeKeyCount {
    std::string node;  // its name: the URL without credentials
    uint64_t keys = 0;
};

// What one server holds now (DBSIZE: every key of its database, ours or not).
struct NodeSize {
    std::string node;
    std::optional<long long> keys;  // none when the server could not be asked
    std::string error;              // why not (password-free); empty when keys is set
};

class PartitionedRedis final : public RedisRouter {
  public:
    // Throws rt::InvalidArgument for the same server twice. No server is contacted until a call
    // needs it.
    explicit PartitionedRedis(const std::vector<RedisUrl>& nodes,
                              PartitionedRedisOptions options = {});
    ~PartitionedRedis() override;
    PartitionedRedis(const PartitionedRedis&) = delete;
    PartitionedRedis& operator=(const PartitionedRedis&) = delete;

    // Throws rt::InvalidArgument if the server is already a node. Its share of keys goes to it
    // from the next call on.
    void add_node(const RedisUrl& url);
    // False if it is not a node. Calls already under way on it finish there.
    bool remove_node(const RedisUrl& url);

    // Throws RedisError as RedisClient does (only for the server owning the key), and
    // rt::UsageError when there is no server at all.
    rt::Task<Reply> command_for(std::string key, Command args) override;
    // One pipeline per server, one after the other, the replies in the order given. Every
    // reachable server runs its commands; then the first server that failed throws its
    // RedisError, so the replies are all or nothing (the other servers' writes did happen).
    rt::Task<std::vector<Reply>> pipeline_for(std::vector<KeyedCommand> commands) override;
    Reply command_for_blocking(const std::string& key, const Command& args) override;
    // In node order: the order they were added.
    std::vector<RedisUrl> nodes() const override;

    // The name of the server owning the key now. Throws rt::UsageError with no server.
    std::string node_for(std::string_view key) const;
    // How many of the keys each server owns, for every server (0 for none), in node order.
    std::vector<NodeKeyCount> key_counts(const std::vector<std::string>& keys) const;
    // DBSIZE of each server, asked one after the other; a server that fails has an error
    // instead of a count, and the others are still asked.
    rt::Task<std::vector<NodeSize>> db_sizes();
    std::vector<NodeSize> db_sizes_blocking();
    // Each server's health (connecting / up / down, last error), in node order.
    std::vector<NodeHealth> health() const;

    // The ring's name for a server: its URL without user or password.
    static std::string node_name(const RedisUrl& url);

  private:
    struct Node {
        RedisUrl url;
        std::shared_ptr<RedisClient> client;  // shared: a call keeps it alive past remove_node
    };
    // The owner's client, copied out under the lock so the call runs without holding it.
    std::shared_ptr<RedisClient> client_for(std::string_view key) const;
    // Every node's name and client, in node order (copied out likewise).
    std::vector<std::pair<std::string, std::shared_ptr<RedisClient>>> all_clients() const;

    const PartitionedRedisOptions m_options;
    mutable std::shared_mutex m_mu;  // guards m_ring and m_nodes
    HashRing m_ring;
    std::map<std::string, Node> m_nodes;  // by name
};

}  // namespace cs::redis
