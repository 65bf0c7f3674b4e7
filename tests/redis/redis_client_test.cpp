// RedisClient: tasks awaiting commands over a pool of connections, and the health a user sees
// when the server dies (down, failing fast, with the error and the next attempt) and returns
// (up again by itself, the reconnect counted).
#include <gtest/gtest.h>

#include <atomic>

#include "redis/redis_client.h"
#include "redis_server.h"
#include "test_support.h"

namespace cs::test {
namespace {

using redis::HealthState;
using redis::parse_redis_url;
using redis::RedisClient;
using redis::RedisError;
using redis::RedisErrorKind;
using redis::Reply;

TEST(RedisClient, ManyTasksShareThePoolAndEveryCommandLands) {
    RedisServer server;
    RedisClient client(parse_redis_url(server.url()), {.idle_connections = 4});
    EXPECT_EQ(client.health().state, HealthState::connecting);
    Engine engine;
    std::atomic<int> done{0};
    run_task(engine, [&]() -> Task<> {
        rt::WaitGroup wg;
        for (int t = 0; t < 50; ++t) {
            wg.add(1);
            engine.go("incr", [&client, &wg, &done]() -> Task<> {
                // Named, not braced in the co_await: GCC 12 rejects braced lists of string
                // literals inside a co_await expression.
                redis::Command incr{"INCR", "counter"};
                for (int i = 0; i < 20; ++i) {
                    Reply r = co_await client.command(incr);
                    EXPECT_EQ(r.type, Reply::Type::integer);
                }
                std::vector<redis::Command> batch{{"INCR", "batches"}, {"GET", "counter"}};
                std::vector<Reply> rs = co_await client.pipeline(batch);
                EXPECT_EQ(rs.size(), 2u);
                ++done;
                wg.done();
            });
        }
        co_await wg.wait();
    });
    EXPECT_EQ(done.load(), 50);
    EXPECT_EQ(client.command_blocking({"GET", "counter"}).str, "1000");
    EXPECT_EQ(client.command_blocking({"GET", "batches"}).str, "50");
    EXPECT_EQ(client.health().state, HealthState::up);
    EXPECT_EQ(client.health().failures, 0u);
}

TEST(RedisClient, WhileTheServerIsDownCallsFailFastAndItComesBackByItself) {
    RedisServer server;
    // A backoff long enough that the second call below surely falls inside it.
    RedisClient client(parse_redis_url(server.url()),
                       {.backoff = {.first = std::chrono::milliseconds(1000)}});
    client.command_blocking({"SET", "k", "v"});
    server.kill();

    try {
        client.command_blocking({"GET", "k"});
        ADD_FAILURE() << "a call to a dead server succeeded";
    } catch (const RedisError& e) {
        EXPECT_EQ(e.kind(), RedisErrorKind::io) << e.what();
    }
    redis::Health down = client.health();
    EXPECT_EQ(down.state, HealthState::down);
    EXPECT_FALSE(down.last_error.empty());
    EXPECT_GT(down.retry_in.count(), 0);
    EXPECT_EQ(down.failures, 1u);

    try {
        client.command_blocking({"GET", "k"});
        ADD_FAILURE() << "a call while down succeeded";
    } catch (const RedisError& e) {
        EXPECT_EQ(e.kind(), RedisErrorKind::down) << e.what();
        EXPECT_NE(std::string(e.what()).find("is down"), std::string::npos) << e.what();
    }
    EXPECT_EQ(client.health().failures, 1u) << "a call while down tried the server again";

    server.restart();
    // Calls keep failing fast until the backoff runs out; then one reconnects.
    bool back = eventually([&] {
        try {
            client.command_blocking({"PING"});
            return true;
        } catch (const RedisError&) {
            return false;
        }
    });
    ASSERT_TRUE(back);
    redis::Health up = client.health();
    EXPECT_EQ(up.state, HealthState::up);
    EXPECT_EQ(up.reconnects, 1u);
}

TEST(RedisClient, RepeatedFailuresBackOffExponentiallyUpToTheLongestWait) {
    int port = free_loopback_port();
    RedisClient client(parse_redis_url("redis://127.0.0.1:" + std::to_string(port)),
                       {.backoff = {.first = std::chrono::milliseconds(100),
                                    .max = std::chrono::milliseconds(400),
                                    .jitter = 0}});
    std::vector<long> waits;
    for (int attempt = 0; attempt < 4; ++attempt) {
        ASSERT_TRUE(eventually([&] { return client.health().retry_in.count() == 0; }));
        try {
            client.command_blocking({"PING"});
            ADD_FAILURE() << "nothing listens there";
        } catch (const RedisError& e) {
            EXPECT_EQ(e.kind(), RedisErrorKind::connection_refused) << e.what();
        }
        redis::Health h = client.health();
        waits.push_back(long(h.backoff.count()));
        EXPECT_LE(h.retry_in, h.backoff);
    }
    EXPECT_EQ(waits, (std::vector<long>{100, 200, 400, 400}));
    EXPECT_EQ(client.health().failures, 4u);
}

TEST(RedisClient, RefusesABackoffThatCannotWork) {
    auto url = parse_redis_url("redis://127.0.0.1:6379");
    EXPECT_THROW(RedisClient(url, {.backoff = {.first = std::chrono::milliseconds(0)}}),
                 rt::InvalidArgument);
    EXPECT_THROW(RedisClient(url, {.backoff = {.first = std::chrono::milliseconds(500),
                                               .max = std::chrono::milliseconds(100)}}),
                 rt::InvalidArgument);
    EXPECT_THROW(RedisClient(url, {.backoff = {.jitter = 1.5}}), rt::InvalidArgument);
}

TEST(RedisClient, EveryConnectionRunsTheSessionCommandsSetLast) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server;
    RedisClient client(parse_redis_url(server.url()));
    client.command_blocking({"PING"});  // an idle connection from before the session
    client.set_session({{"CLIENT", "SETNAME", "first"}});
    EXPECT_EQ(client.command_blocking({"CLIENT", "GETNAME"}).str, "first");
    client.set_session({{"CLIENT", "SETNAME", "second"}});  // the idle "first" one is closed
    EXPECT_EQ(client.command_blocking({"CLIENT", "GETNAME"}).str, "second");
    // A failing session command fails the call, with the server's reason, and marks nothing down.
    client.set_session({{"CLIENT", "NO-SUCH-SUBCOMMAND"}});
    EXPECT_THROW(client.command_blocking({"PING"}), RedisError);
    EXPECT_EQ(client.health().state, HealthState::up);
}

}  // namespace
}  // namespace cs::test
