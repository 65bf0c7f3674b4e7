#pragma once
// ClusterClient: a Redis Cluster used as one Redis — a RedisRouter that sends each command to
// the master serving its key's hash slot. It learns the slots from CLUSTER SLOTS (asked of any
// node it knows, on first use and again after the cluster moved a slot), keeps one pooled
// RedisClient per master, and follows the cluster's redirects the way the specification asks:
// MOVED (the slot lives elsewhere now: remember it, ask there), ASK (this key is being migrated:
// ask the target once, after ASKING, and remember nothing) and TRYAGAIN (a multi-key command
// during a migration: wait a moment, retry). The Redis cache tier and the distributed rate
// limiter run over it unchanged. Thread-safe.
//
//   ClusterClient cluster({parse_redis_url("redis://10.0.0.5:7000")});
//   RedisCache users(engine, cluster, {.name = "users"});       // as over one server
//   Reply r = cluster.command_for_blocking("user:1", {"GET", "user:1"});
//   // keys of one command must share a slot: {user:1}.name and {user:1}.mail do
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "redis/cluster_slots.h"
#include "redis/redis_client.h"
#include "redis/redis_router.h"

namespace cs::redis {

struct ClusterClientOptions {
    RedisClientOptions client{};  // for each master's client (pool, timeouts, backoff)
    int max_redirects = 5;        // MOVED, ASK and TRYAGAIN followed per command, 1 .. 100
    // The least time between two reloads of the slot map that a MOVED asks for (a resharding
    // sends many); a slot a MOVED names is remembered at once regardless. 0: reload every time.
    std::chrono::milliseconds refresh_interval{100};
};

// What the client has followed so far, for monitors and tests.
struct ClusterCounters {
    uint64_t moved = 0, ask = 0, tryagain = 0;
    uint64_t refreshes = 0;  // slot maps loaded
};

class ClusterClient final : public RedisRouter {
  public:
    // `seeds`: nodes of the cluster to learn it from (one is enough); their user and password
    // log in to every node. Throws rt::InvalidArgument for no seed, or a database other than 0
    // (a cluster has only database 0). Contacts no node until the first call.
    explicit ClusterClient(std::vector<RedisUrl> seeds, ClusterClientOptions options = {});
    ~ClusterClient() override;
    ClusterClient(const ClusterClient&) = delete;
    ClusterClient& operator=(const ClusterClient&) = delete;

    // Throws as RedisClient does: RedisError(reply_error) with the server's text for an error
    // reply (CROSSSLOT, WRONGTYPE, or a redirect still unresolved after max_redirects), a
    // connection error of the master serving the key, and RedisError(down) when no node the
    // client knows answers CLUSTER SLOTS, or no master serves the slot.
    rt::Task<Reply> command_for(std::string key, Command args) override;
    Reply command_for_blocking(const std::string& key, const Command& args) override;
    // One pipeline per master, then each redirected command followed on its own; the replies in
    // the order given, error replies as Reply::Type::error. Every reachable master runs its
    // commands; then the first that failed throws its RedisError.
    rt::Task<std::vector<Reply>> pipeline_for(std::vector<KeyedCommand> commands) override;
    std::vector<Reply> pipeline_for_blocking(const std::vector<KeyedCommand>& commands);
    // The masters serving slots now (the seeds until a slot map is loaded).
    std::vector<RedisUrl> nodes() const override;

    // Loads the slot map now from the first node that answers (the masters known, then the
    // seeds). Throws RedisError(down) naming each node's error when none does.
    void refresh_topology();
    // "host:port" of the master serving the key now (loading the slot map if there is none).
    std::string node_for(std::string_view key);
    ClusterCounters counters() const;
    // Each master's client health, in the slot map's order.
    std::vector<NodeHealth> health() const;

    // Whether the client's server runs in cluster mode (INFO cluster: cluster_enabled:1), asked
    // through the client so that its health shows a failure. Throws RedisError when it cannot
    // be asked.
    static bool is_cluster_node(RedisClient& client);

  private:
    struct Target {
        NodeAddress node;
        bool asking = false;
    };
    NodeAddress owner_of(uint16_t slot);
    std::shared_ptr<RedisClient> client_for(const NodeAddress& node);
    RedisUrl url_of(const NodeAddress& node) const;
    std::vector<Reply> send(const NodeAddress& node, const std::vector<Command>& batch);
    Reply send(const Target& target, const Command& args);
    // `args` sent to `target`, following redirects until a reply is none or `max_redirects`
    // (counting `redirects` already followed) are used up; the last reply, which may be an
    // error reply.
    Reply run(Target target, const Command& args, int redirects);
    // Acts on a redirect reply — remembers a MOVED's slot, counts, waits before a TRYAGAIN — and
    // sets the target to ask next; false when the reply is no redirect.
    bool follow(const Reply& reply, Target& target);
    void note_connection_failure();
    void refresh_if_stale();

    const std::vector<RedisUrl> m_seeds;
    const ClusterClientOptions m_options;
    mutable std::shared_mutex m_mu;  // guards m_slots and m_clients
    SlotMap m_slots;
    std::map<std::string, std::shared_ptr<RedisClient>> m_clients;  // by NodeAddress::text()
    std::mutex m_refresh_mu;         // one reload at a time
    std::atomic<bool> m_stale{true};  // a reload is due (none yet, a MOVED, a lost master)
    std::chrono::steady_clock::time_point m_refreshed_at{};  // under m_refresh_mu
    std::atomic<uint64_t> m_moved{0}, m_ask{0}, m_tryagain{0}, m_refreshes{0};
};

}  // namespace cs::redis
