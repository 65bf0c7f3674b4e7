// PartitionedRedis on real redis-servers: keys spread over every server and each lives only on
// its owner; the cache tier runs over it unchanged; adding a server turns about 1/N of the keys
// into misses, all of them keys the new server now owns; removing one affects only its keys;
// one server down fails only its keys; servers come and go while tasks use it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <set>

#include "redis/partitioned_redis.h"
#include "redis/redis_cache.h"
#include "redis/redis_client.h"
#include "redis/redis_error.h"
#include "redis_server.h"
#include "runtime/errors.h"
#include "test_support.h"

namespace cs::test {
namespace {

using redis::parse_redis_url;
using redis::PartitionedRedis;
using redis::RedisCache;
using redis::RedisClient;
using redis::RedisError;
using redis::RedisErrorKind;
using redis::Reply;

std::vector<std::unique_ptr<RedisServer>> start_servers(int n) {
    std::vector<std::unique_ptr<RedisServer>> servers;
    for (int i = 0; i < n; ++i) servers.push_back(std::make_unique<RedisServer>());
    return servers;
}

std::vector<redis::RedisUrl> urls_of(const std::vector<std::unique_ptr<RedisServer>>& servers) {
    std::vector<redis::RedisUrl> urls;
    for (const auto& s : servers) urls.push_back(parse_redis_url(s->url()));
    return urls;
}

std::vector<std::string> numbered_keys(int n) {
    std::vector<std::string> keys;
    for (int i = 0; i < n; ++i) keys.push_back("user:" + std::to_string(i));
    return keys;
}

std::string value_of(const std::string& key) {
    return "v:" + key;
}

// Every key through the cache's SET, from `writers` tasks at once (one round trip per key).
void write_through(Engine& engine, RedisCache& cache, const std::vector<std::string>& keys,
                   size_t writers = 16) {
    run_task(engine, [&]() -> Task<> {
        rt::WaitGroup wg;
        wg.add(int(writers));
        for (size_t w = 0; w < writers; ++w)
            engine.go("writer", [&, w]() -> Task<> {
                for (size_t i = w; i < keys.size(); i += writers)
                    co_await cache.set(keys[i], value_of(keys[i]), cache::Ttl::none());
                wg.done();
            });
        co_await wg.wait();
    });
}

std::vector<std::optional<std::string>> read_all(Engine& engine, RedisCache& cache,
                                                 const std::vector<std::string>& keys) {
    std::vector<std::optional<std::string>> values;
    run_task(engine, [&]() -> Task<> { values = co_await cache.mget(keys); });
    return values;
}

// The keys one server really holds, asked of it directly.
std::set<std::string> held_by(const RedisServer& server, const std::vector<std::string>& keys) {
    RedisClient direct(parse_redis_url(server.url()));
    std::vector<redis::Command> exists;
    for (const std::string& k : keys) exists.push_back({"EXISTS", k});
    std::vector<Reply> replies = direct.pipeline_blocking(exists);
    std::set<std::string> held;
    for (size_t i = 0; i < keys.size(); ++i)
        if (replies[i].integer == 1) held.insert(keys[i]);
    return held;
}

TEST(PartitionedRedis, NamesServersByTheirUrlWithoutCredentialsAndChecksItsOptions) {
    EXPECT_EQ(PartitionedRedis::node_name(parse_redis_url("redis://alice:s3cret@10.0.0.5:6380/2")),
              "redis://10.0.0.5:6380/2");
    EXPECT_EQ(PartitionedRedis::node_name(parse_redis_url("redis://:s3cret@[::1]:6379")),
              "redis://[::1]:6379");
    EXPECT_THROW(PartitionedRedis({}, {.points_per_node = 0}), rt::InvalidArgument);
    // The same server twice, even with other credentials, is one node.
    auto a = parse_redis_url("redis://127.0.0.1:7000");
    auto a_with_password = parse_redis_url("redis://:pw@127.0.0.1:7000");
    EXPECT_THROW(PartitionedRedis({a, a_with_password}), rt::InvalidArgument);
    PartitionedRedis none({});
    EXPECT_THROW(none.node_for("k"), rt::UsageError);
    EXPECT_TRUE(none.nodes().empty());
}

TEST(PartitionedRedis, SpreadsKeysOverEveryServerAndEachLivesOnlyOnItsOwner) {
    auto servers = start_servers(3);
    PartitionedRedis shards(urls_of(servers));
    Engine engine;
    RedisCache cache(engine, shards);
    std::vector<std::string> keys = numbered_keys(3000);
    write_through(engine, cache, keys);

    std::vector<redis::NodeKeyCount> counts = shards.key_counts(keys);
    ASSERT_EQ(counts.size(), 3u);
    std::vector<redis::NodeSize> sizes = shards.db_sizes_blocking();
    ASSERT_EQ(sizes.size(), 3u);
    for (size_t n = 0; n < 3; ++n) {
        const std::string name = PartitionedRedis::node_name(parse_redis_url(servers[n]->url()));
        EXPECT_EQ(counts[n].node, name);
        double share = double(counts[n].keys) / double(keys.size());
        EXPECT_GT(share, 0.20) << name;
        EXPECT_LT(share, 0.47) << name;
        // What the server holds is exactly what the ring gives it.
        EXPECT_EQ(sizes[n].node, name);
        EXPECT_EQ(sizes[n].keys, (long long)(counts[n].keys)) << sizes[n].error;
        std::set<std::string> held = held_by(*servers[n], keys);
        EXPECT_EQ(held.size(), counts[n].keys);
        for (const std::string& k : held) EXPECT_EQ(shards.node_for(k), name) << k;
    }
}

TEST(PartitionedRedis, TheCacheTierRunsOverItUnchanged) {
    auto servers = start_servers(3);
    PartitionedRedis shards(urls_of(servers));
    Engine engine;
    RedisCache users(engine, shards, {.name = "users", .key_prefix = "app:"});
    std::vector<std::string> keys = numbered_keys(30);
    std::set<std::string> owners;
    for (const std::string& k : keys) owners.insert(shards.node_for("app:" + k));
    ASSERT_EQ(owners.size(), 3u) << "the keys must reach every server";

    run_task(engine, [&]() -> Task<> {
        for (const std::string& k : keys)
            EXPECT_TRUE(co_await users.set(k, value_of(k), cache::Ttl::of(60s)));
        for (const std::string& k : keys) EXPECT_EQ(co_await users.get(k), value_of(k));
        std::vector<std::string> asked = keys;
        asked.push_back("nobody");
        std::vector<std::optional<std::string>> got = co_await users.mget(asked);
        EXPECT_EQ(got.size(), asked.size());
        if (got.size() != asked.size()) co_return;
        for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(got[i], value_of(keys[i]));
        EXPECT_EQ(got.back(), std::nullopt);
        for (size_t i = 0; i < keys.size(); i += 2) EXPECT_TRUE(co_await users.remove(keys[i]));
        for (size_t i = 0; i < keys.size(); ++i)
            EXPECT_EQ((co_await users.get(keys[i])).has_value(), i % 2 == 1) << keys[i];
    });
    cache::CacheStats s = users.stats();
    EXPECT_EQ(s.hits, 30u + 30u + 15u);
    EXPECT_EQ(s.misses, 1u + 15u);
    EXPECT_EQ(s.removed(cache::RemovalCause::explicit_), 15u);
    // Each remaining key is on its owner, under the prefix, with its TTL.
    for (size_t n = 0; n < 3; ++n) {
        RedisClient direct(parse_redis_url(servers[n]->url()));
        const std::string name = PartitionedRedis::node_name(direct.url());
        for (size_t i = 1; i < keys.size(); i += 2) {
            Reply r = direct.command_blocking({"PTTL", "app:" + keys[i]});
            if (shards.node_for("app:" + keys[i]) == name) {
                EXPECT_GT(r.integer, 0) << keys[i];
            } else {
                EXPECT_EQ(r.integer, -2) << keys[i] << " is also on " << name;
            }
        }
    }
}

TEST(PartitionedRedis, AddingAFourthServerTurnsAboutAQuarterOfTheKeysIntoMissesAllOwnedByIt) {
    auto servers = start_servers(4);
    std::vector<redis::RedisUrl> urls = urls_of(servers);
    PartitionedRedis shards({urls[0], urls[1], urls[2]});
    Engine engine;
    RedisCache cache(engine, shards);
    std::vector<std::string> keys = numbered_keys(30'000);
    write_through(engine, cache, keys);
    ASSERT_EQ(read_all(engine, cache, keys).size(), keys.size());
    ASSERT_EQ(cache.stats().misses, 0u);

    shards.add_node(urls[3]);
    const std::string fourth = PartitionedRedis::node_name(urls[3]);
    std::vector<std::optional<std::string>> after = read_all(engine, cache, keys);
    size_t misses = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
        bool owned_by_new = shards.node_for(keys[i]) == fourth;
        // Nothing was copied: exactly the keys the new server owns miss, the rest still hit.
        EXPECT_EQ(!after[i].has_value(), owned_by_new) << keys[i];
        if (after[i]) {
            EXPECT_EQ(*after[i], value_of(keys[i]));
        }
        misses += !after[i];
    }
    EXPECT_EQ(cache.stats().misses, misses);
    double moved = double(misses) / double(keys.size());
    std::printf("adding a 4th server moved %.1f%% of %zu keys (ideal 25%%)\n", 100 * moved,
                keys.size());
    EXPECT_GT(moved, 0.15);
    EXPECT_LT(moved, 0.35);
    EXPECT_EQ(shards.db_sizes_blocking()[3].keys, 0);
}

TEST(PartitionedRedis, RemovingAServerAffectsOnlyItsKeys) {
    auto servers = start_servers(3);
    std::vector<redis::RedisUrl> urls = urls_of(servers);
    PartitionedRedis shards(urls);
    Engine engine;
    RedisCache cache(engine, shards);
    std::vector<std::string> keys = numbered_keys(3000);
    write_through(engine, cache, keys);
    const std::string second = PartitionedRedis::node_name(urls[1]);
    std::vector<std::string> owner_before;
    for (const std::string& k : keys) owner_before.push_back(shards.node_for(k));

    ASSERT_TRUE(shards.remove_node(urls[1]));
    EXPECT_FALSE(shards.remove_node(urls[1]));
    ASSERT_EQ(shards.nodes().size(), 2u);
    EXPECT_EQ(shards.key_counts(keys).size(), 2u);
    std::vector<std::optional<std::string>> after = read_all(engine, cache, keys);
    size_t misses = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
        bool was_on_removed = owner_before[i] == second;
        EXPECT_EQ(!after[i].has_value(), was_on_removed) << keys[i];
        if (!was_on_removed) {
            EXPECT_EQ(shards.node_for(keys[i]), owner_before[i]) << keys[i];
        }
        misses += !after[i];
    }
    EXPECT_GT(misses, 0u);
    // The removed server was left alone: its keys are still there.
    EXPECT_EQ(held_by(*servers[1], keys).size(), misses);
}

TEST(PartitionedRedis, OneServerDownFailsOnlyTheKeysItOwns) {
    auto servers = start_servers(3);
    std::vector<redis::RedisUrl> urls = urls_of(servers);
    PartitionedRedis shards(urls);
    Engine engine;
    RedisCache cache(engine, shards);
    std::vector<std::string> keys = numbered_keys(300);
    write_through(engine, cache, keys);
    const std::string dead = PartitionedRedis::node_name(urls[2]);
    servers[2]->kill();

    std::vector<std::string> alive_keys;
    size_t failed = 0;
    run_task(engine, [&]() -> Task<> {
        for (const std::string& k : keys) {
            bool owned_by_dead = shards.node_for(k) == dead;
            try {
                std::optional<std::string> v = co_await cache.get(k);
                EXPECT_FALSE(owned_by_dead) << k << " was read from a dead server";
                EXPECT_EQ(v, value_of(k));
                alive_keys.push_back(k);
            } catch (const RedisError& e) {
                ++failed;
                EXPECT_TRUE(owned_by_dead) << k << ": " << e.what();
                EXPECT_TRUE(e.kind() == RedisErrorKind::io ||
                            e.kind() == RedisErrorKind::connection_refused ||
                            e.kind() == RedisErrorKind::down)
                    << e.what();
                EXPECT_NE(std::string(e.what()).find(servers[2]->url()), std::string::npos)
                    << "the error should name the dead server: " << e.what();
            }
        }
        // A batch on live servers works; one that needs the dead server fails as a whole.
        std::vector<std::optional<std::string>> live = co_await cache.mget(alive_keys);
        EXPECT_EQ(live.size(), alive_keys.size());
        bool batch_failed = false;
        try {
            co_await cache.mget(keys);
        } catch (const RedisError&) {
            batch_failed = true;
        }
        EXPECT_TRUE(batch_failed);
    });
    EXPECT_GT(failed, 0u);
    EXPECT_EQ(failed + alive_keys.size(), keys.size());

    std::vector<redis::NodeSize> sizes = shards.db_sizes_blocking();
    ASSERT_EQ(sizes.size(), 3u);
    EXPECT_TRUE(sizes[0].keys.has_value()) << sizes[0].error;
    EXPECT_TRUE(sizes[1].keys.has_value()) << sizes[1].error;
    EXPECT_FALSE(sizes[2].keys.has_value());
    EXPECT_FALSE(sizes[2].error.empty());
    std::vector<redis::NodeHealth> health = shards.health();
    EXPECT_EQ(health[0].health.state, redis::HealthState::up);
    EXPECT_EQ(health[2].health.state, redis::HealthState::down);
}

TEST(PartitionedRedis, ServersComeAndGoWhileTasksUseIt) {
    auto servers = start_servers(4);
    std::vector<redis::RedisUrl> urls = urls_of(servers);
    PartitionedRedis shards({urls[0], urls[1], urls[2]});
    Engine engine;
    RedisCache cache(engine, shards);
    std::atomic<bool> stop{false};
    std::atomic<int> ops{0}, errors{0};
    rt::JoinHandle users = engine.spawn("users", [&]() -> Task<> {
        rt::WaitGroup wg;
        wg.add(4);
        for (int t = 0; t < 4; ++t)
            engine.go("user", [&, t]() -> Task<> {
                for (int i = 0; !stop.load(); ++i) {
                    std::string key = "k:" + std::to_string(t) + ":" + std::to_string(i % 50);
                    try {
                        co_await cache.set(key, value_of(key), cache::Ttl::none());
                        std::optional<std::string> v = co_await cache.get(key);
                        // It may have moved in between (a miss), but never to a wrong value.
                        if (v) {
                            EXPECT_EQ(*v, value_of(key));
                        }
                        ops.fetch_add(1);
                    } catch (const std::exception& e) {
                        ADD_FAILURE() << e.what();
                        errors.fetch_add(1);
                    }
                }
                wg.done();
            });
        co_await wg.wait();
    });
    // Each change waits until the users got on with some calls, so changes land among calls.
    auto users_progress = [&] {
        int before = ops.load();
        return eventually([&] { return ops.load() > before + 4; });
    };
    for (int round = 0; round < 20; ++round) {
        shards.add_node(urls[3]);
        EXPECT_TRUE(users_progress());
        EXPECT_TRUE(shards.remove_node(urls[3]));
        EXPECT_TRUE(users_progress());
    }
    stop = true;
    users.wait();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(shards.nodes().size(), 3u);
}

}  // namespace
}  // namespace cs::test
