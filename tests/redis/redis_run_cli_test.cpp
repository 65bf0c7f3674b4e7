// `chanscope run` of a Redis lesson: on the server --redis names (its keys land there), and a
// URL that does not parse refused as bad input before anything runs.
#include <gtest/gtest.h>

#include "../scenario/headless_cli_support.h"
#include "redis_server.h"
#include "resp_probe.h"

namespace cs::test {
namespace {

TEST(RedisRunCli, ARedisLessonRunsOnTheServerItIsGiven) {
    RedisServer server;
    Result r = chanscope({"run", "redis_cache_aside", "--duration", "1s", "--speed", "10",
                          "--redis", server.url()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("redis: " + server.url()), std::string::npos) << r.err;
    std::optional<RespReply> keys = redis_command(server.port(), {"DBSIZE"});
    ASSERT_TRUE(keys);
    EXPECT_GT(keys->integer, 10) << "the lesson's cached values are not on the given server";
}

TEST(RedisRunCli, ALessonGivenAClusterNodeRunsOverTheWholeCluster) {
    RedisCluster cluster;
    Result r = chanscope({"run", "redis_cache_aside", "--duration", "1s", "--speed", "10",
                          "--redis", cluster.seed_url(), "--report", "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("(a Redis Cluster)"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("\"failed\":0"), std::string::npos) << r.out;
    int masters_holding_keys = 0;
    for (RedisServer* node : cluster.nodes()) {
        std::optional<RespReply> keys = redis_command(node->port(), {"DBSIZE"});
        ASSERT_TRUE(keys);
        masters_holding_keys += keys->integer > 0;
    }
    EXPECT_EQ(masters_holding_keys, 3) << "the keys should spread over the cluster's masters";

    Result near = chanscope({"run", "near_cache_invalidation", "--duration", "1s", "--redis",
                             cluster.seed_url()});
    EXPECT_EQ(near.status, 2);
    EXPECT_NE(near.err.find("needs a single Redis server"), std::string::npos) << near.err;
}

TEST(RedisRunCli, ABadRedisUrlIsBadInput) {
    Result r = chanscope({"run", "redis_cache_aside", "--redis", "http://nowhere"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("redis://"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cs::test
