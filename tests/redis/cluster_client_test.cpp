// ClusterClient on a real 3-master Redis Cluster (redis-cli --cluster create): every key reaches
// the master of its slot; a slot moved behind the client's back is followed (MOVED) and
// remembered; a key being migrated is asked for on the target (ASK) without remembering it;
// keys split by a migration come back as TRYAGAIN; the Redis cache tier and a pipeline spanning
// the masters run unchanged; and bad seeds, cross-slot commands and a dead master are typed
// errors.
#include <gtest/gtest.h>

#include <map>

#include "engine.h"
#include "redis/cluster_client.h"
#include "redis/redis_cache.h"
#include "redis/redis_client.h"
#include "redis/redis_error.h"
#include "redis_server.h"
#include "runtime/errors.h"
#include "test_support.h"

namespace cs::test {
namespace {

using redis::ClusterClient;
using redis::Command;
using redis::key_slot;
using redis::parse_redis_url;
using redis::RedisClient;
using redis::RedisError;
using redis::RedisErrorKind;
using redis::Reply;

// Direct access to each node of a cluster, by "127.0.0.1:port", for setting up migrations and
// for checking where keys really are.
struct Nodes {
    explicit Nodes(RedisCluster& cluster) {
        for (RedisServer* n : cluster.nodes()) {
            std::string name = n->host() + ":" + std::to_string(n->port());
            clients[name] = std::make_unique<RedisClient>(parse_redis_url(n->url()));
            ids[name] = clients[name]->command_blocking({"CLUSTER", "MYID"}).str;
            servers[name] = n;
        }
    }
    Reply on(const std::string& node, const Command& args) {
        return clients.at(node)->command_blocking(args);
    }
    std::string other_than(const std::string& node) const {
        for (const auto& [name, id] : ids)
            if (name != node) return name;
        return "";
    }
    // Starts moving `slot` from `from` to `to`, as redis-cli --cluster reshard does.
    void begin_migration(uint16_t slot, const std::string& from, const std::string& to) {
        on(to, {"CLUSTER", "SETSLOT", std::to_string(slot), "IMPORTING", ids.at(from)});
        on(from, {"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING", ids.at(to)});
    }
    void migrate_key(const std::string& key, const std::string& from, const std::string& to) {
        auto colon = to.rfind(':');
        Reply r = on(from, {"MIGRATE", to.substr(0, colon), to.substr(colon + 1), key, "0", "5000"});
        ASSERT_EQ(r.str, "OK") << key;
    }
    // Ends the move: every master is told the slot's new owner.
    void end_migration(uint16_t slot, const std::string& to) {
        for (const auto& [name, client] : clients)
            on(name, {"CLUSTER", "SETSLOT", std::to_string(slot), "NODE", ids.at(to)});
    }

    std::map<std::string, std::unique_ptr<RedisClient>> clients;
    std::map<std::string, std::string> ids;
    std::map<std::string, RedisServer*> servers;
};

TEST(ClusterClient, EveryKeyReachesTheMasterOfItsSlot) {
    RedisCluster cluster;
    Nodes nodes(cluster);
    ClusterClient client({parse_redis_url(cluster.seed_url())});
    for (int i = 0; i < 300; ++i) {
        std::string key = "key:" + std::to_string(i);
        client.command_for_blocking(key, {"SET", key, "v" + std::to_string(i)});
    }
    std::map<std::string, int> per_node;
    for (int i = 0; i < 300; ++i) {
        std::string key = "key:" + std::to_string(i);
        std::string owner = client.node_for(key);
        // The master holds it itself (a GET on another master would answer MOVED).
        EXPECT_EQ(nodes.on(owner, {"GET", key}).str, "v" + std::to_string(i)) << key;
        EXPECT_EQ(nodes.on(owner, {"CLUSTER", "KEYSLOT", key}).integer, key_slot(key)) << key;
        EXPECT_EQ(client.command_for_blocking(key, {"GET", key}).str, "v" + std::to_string(i));
        ++per_node[owner];
    }
    EXPECT_EQ(per_node.size(), 3u) << "300 keys all on fewer than three masters";
    redis::ClusterCounters c = client.counters();
    EXPECT_EQ(c.moved + c.ask + c.tryagain, 0u) << "a fresh slot map needs no redirect";
    EXPECT_EQ(c.refreshes, 1u);
    EXPECT_EQ(client.nodes().size(), 3u);
    for (const auto& h : client.health()) EXPECT_EQ(h.health.state, redis::HealthState::up);
}

TEST(ClusterClient, ASlotMovedBehindItsBackIsFollowedAndRemembered) {
    RedisCluster cluster;
    Nodes nodes(cluster);
    ClusterClient client({parse_redis_url(cluster.seed_url())}, {.refresh_interval = std::chrono::hours(1)});
    client.command_for_blocking("user:1", {"SET", "user:1", "Ada"});
    const uint16_t slot = key_slot("user:1");
    const std::string from = client.node_for("user:1");
    const std::string to = nodes.other_than(from);

    nodes.begin_migration(slot, from, to);
    nodes.migrate_key("user:1", from, to);
    nodes.end_migration(slot, to);

    EXPECT_EQ(client.command_for_blocking("user:1", {"GET", "user:1"}).str, "Ada");
    EXPECT_EQ(client.counters().moved, 1u);
    EXPECT_EQ(client.node_for("user:1"), to);  // remembered: no reload was allowed meanwhile
    EXPECT_EQ(client.command_for_blocking("user:1", {"GET", "user:1"}).str, "Ada");
    EXPECT_EQ(client.counters().moved, 1u);
}

TEST(ClusterClient, AKeyBeingMigratedIsAskedForOnTheTargetAndNothingIsRemembered) {
    RedisCluster cluster;
    Nodes nodes(cluster);
    ClusterClient client({parse_redis_url(cluster.seed_url())});
    // Keys of one slot (one hash tag).
    for (const char* key : {"{cart}:a", "{cart}:b"}) client.command_for_blocking(key, {"SET", key, key});
    const uint16_t slot = key_slot("{cart}");
    const std::string from = client.node_for("{cart}:a");
    const std::string to = nodes.other_than(from);

    nodes.begin_migration(slot, from, to);
    nodes.migrate_key("{cart}:a", from, to);
    EXPECT_EQ(client.command_for_blocking("{cart}:a", {"GET", "{cart}:a"}).str, "{cart}:a");
    EXPECT_EQ(client.counters().ask, 1u);
    EXPECT_EQ(client.command_for_blocking("{cart}:b", {"GET", "{cart}:b"}).str, "{cart}:b");
    EXPECT_EQ(client.counters().ask, 1u) << "a key not yet migrated is served where it is";
    // A new key of a migrating slot goes to the target.
    client.command_for_blocking("{cart}:c", {"SET", "{cart}:c", "new"});
    EXPECT_EQ(client.counters().ask, 2u);
    EXPECT_EQ(client.node_for("{cart}:a"), from) << "an ASK must not change the slot map";

    // Keys split between the two: a command naming both cannot run anywhere yet.
    try {
        client.command_for_blocking("{cart}:a", {"MGET", "{cart}:a", "{cart}:b"});
        ADD_FAILURE() << "MGET across a split slot succeeded";
    } catch (const RedisError& e) {
        EXPECT_EQ(e.kind(), RedisErrorKind::reply_error);
        EXPECT_NE(std::string(e.what()).find("TRYAGAIN"), std::string::npos) << e.what();
    }
    EXPECT_GT(client.counters().tryagain, 0u);

    nodes.migrate_key("{cart}:b", from, to);
    nodes.end_migration(slot, to);
    Reply both = client.command_for_blocking("{cart}:a", {"MGET", "{cart}:a", "{cart}:b"});
    ASSERT_EQ(both.elements.size(), 2u);
    EXPECT_EQ(both.elements[1].str, "{cart}:b");
    EXPECT_EQ(client.node_for("{cart}:a"), to);
}

TEST(ClusterClient, APipelineSpanningTheMastersAnswersInOrderAndFollowsRedirects) {
    RedisCluster cluster;
    Nodes nodes(cluster);
    ClusterClient client({parse_redis_url(cluster.seed_url())}, {.refresh_interval = std::chrono::hours(1)});
    std::vector<redis::KeyedCommand> sets, gets;
    for (int i = 0; i < 100; ++i) {
        std::string key = "p:" + std::to_string(i);
        sets.push_back({key, {"SET", key, std::to_string(i)}});
        gets.push_back({key, {"GET", key}});
    }
    client.pipeline_for_blocking(sets);
    // Move the first key's slot: its GET in the pipeline is answered MOVED and followed.
    const uint16_t slot = key_slot("p:0");
    const std::string from = client.node_for("p:0"), to = nodes.other_than(from);
    nodes.begin_migration(slot, from, to);
    nodes.migrate_key("p:0", from, to);
    nodes.end_migration(slot, to);

    gets.push_back({"p:0", {"INCR", "p:0"}});
    gets.push_back({"p:1", {"LPUSH", "p:1", "x"}});  // an error reply stays in its place
    std::vector<Reply> replies = client.pipeline_for_blocking(gets);
    ASSERT_EQ(replies.size(), 102u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(replies[size_t(i)].str, std::to_string(i)) << i;
    EXPECT_EQ(replies[100].integer, 1);
    EXPECT_TRUE(replies[101].is_error());
    EXPECT_NE(replies[101].str.find("WRONGTYPE"), std::string::npos);
    EXPECT_GE(client.counters().moved, 1u);
}

TEST(ClusterClient, TheRedisCacheTierRunsOverTheClusterUnchanged) {
    RedisCluster cluster;
    Nodes nodes(cluster);
    ClusterClient client({parse_redis_url(cluster.seed_url())});
    Engine engine;
    redis::RedisCache cache(engine, client, {.name = "users", .key_prefix = "users:"});
    std::vector<std::string> keys;
    for (int i = 0; i < 200; ++i) keys.push_back("u" + std::to_string(i));
    run_task(engine, [&]() -> rt::Task<> {
        for (const std::string& k : keys) co_await cache.set(k, "name of " + k, cache::Ttl::none());
        std::vector<std::optional<std::string>> got = co_await cache.mget(keys);
        for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(got[i], "name of " + keys[i]);
        bool removed = co_await cache.remove("u7");
        EXPECT_TRUE(removed);
        std::optional<std::string> gone = co_await cache.get("u7");
        EXPECT_EQ(gone, std::nullopt);
    });
    long long stored = 0;
    for (const auto& [name, c] : nodes.clients) {
        long long here = c->command_blocking({"DBSIZE"}).integer;
        EXPECT_GT(here, 0) << name << " holds none of 199 keys";
        stored += here;
    }
    EXPECT_EQ(stored, 199);
    cache::CacheStats s = cache.stats();
    EXPECT_EQ(s.hits, 200u);
    EXPECT_EQ(s.misses, 1u);
}

TEST(ClusterClient, ACommandOnKeysOfTwoSlotsIsRefusedWithTheServersText) {
    RedisCluster cluster;
    ClusterClient client({parse_redis_url(cluster.seed_url())});
    ASSERT_NE(key_slot("a"), key_slot("b"));
    try {
        client.command_for_blocking("a", {"MSET", "a", "1", "b", "2"});
        ADD_FAILURE() << "MSET across slots succeeded";
    } catch (const RedisError& e) {
        EXPECT_EQ(e.kind(), RedisErrorKind::reply_error);
        EXPECT_NE(std::string(e.what()).find("CROSSSLOT"), std::string::npos) << e.what();
    }
    // Tagged, they share a slot and may.
    EXPECT_EQ(client.command_for_blocking("{t}a", {"MSET", "{t}a", "1", "{t}b", "2"}).str, "OK");
}

TEST(ClusterClient, ADeadMasterFailsItsKeysWithAConnectionErrorAndShowsDown) {
    RedisCluster cluster;
    Nodes nodes(cluster);
    ClusterClient client({parse_redis_url(cluster.seed_url())});
    client.command_for_blocking("k", {"SET", "k", "v"});
    const std::string owner = client.node_for("k");
    nodes.servers.at(owner)->kill();
    try {
        client.command_for_blocking("k", {"GET", "k"});
        ADD_FAILURE() << "a GET on a dead master succeeded";
    } catch (const RedisError& e) {
        EXPECT_FALSE(e.connection_usable()) << e.what();
        EXPECT_NE(std::string(e.what()).find(owner), std::string::npos) << e.what();
    }
    bool seen_down = false;
    for (const auto& h : client.health())
        if (h.node == owner) seen_down = h.health.state == redis::HealthState::down;
    EXPECT_TRUE(seen_down);
}

TEST(ClusterClient, AServerOutsideAClusterIsNoSeedAndIsToldApart) {
    RedisServer plain;
    RedisCluster cluster;
    RedisClient plain_client(parse_redis_url(plain.url()));
    RedisClient cluster_node(parse_redis_url(cluster.seed_url()));
    EXPECT_FALSE(ClusterClient::is_cluster_node(plain_client));
    EXPECT_TRUE(ClusterClient::is_cluster_node(cluster_node));
    ClusterClient client({parse_redis_url(plain.url())});
    try {
        client.command_for_blocking("k", {"GET", "k"});
        ADD_FAILURE() << "a plain server served as a cluster";
    } catch (const RedisError& e) {
        EXPECT_EQ(e.kind(), RedisErrorKind::down);
        EXPECT_NE(std::string(e.what()).find("cluster support disabled"), std::string::npos)
            << e.what();
    }
}

TEST(ClusterClient, RefusesNoSeedADatabaseOtherThanZeroAndRedirectsOutOfRange) {
    auto message = [](auto make) {
        try {
            make();
        } catch (const rt::InvalidArgument& e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_NE(message([] { ClusterClient c({}); }).find("seed"), std::string::npos);
    EXPECT_NE(message([] { ClusterClient c({parse_redis_url("redis://h:1/2")}); })
                  .find("only database 0"),
              std::string::npos);
    EXPECT_NE(message([] {
                  ClusterClient c({parse_redis_url("redis://h:1")}, {.max_redirects = 0});
              }).find("1 .. 100"),
              std::string::npos);
}

}  // namespace
}  // namespace cs::test
