// RedisConnection against real redis-server processes: commands of every reply type, pipelines,
// databases, every login path, and each failure as its typed error with a message that names
// the server and never the password.
#include <gtest/gtest.h>

#include <chrono>

#include "redis/redis_connection.h"
#include "redis/redis_error.h"
#include "redis_server.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;
using redis::Command;
using redis::parse_redis_url;
using redis::RedisConnection;
using redis::RedisError;
using redis::RedisErrorKind;
using redis::Reply;

// The error a call throws (failing the test if it throws none or another kind).
template <class Call>
RedisError error_of(Call call, RedisErrorKind expected) {
    try {
        call();
    } catch (const RedisError& e) {
        EXPECT_EQ(e.kind(), expected) << e.what();
        return e;
    }
    ADD_FAILURE() << "no RedisError";
    return RedisError(RedisErrorKind::io, "none");
}

TEST(RedisConnection, CommandsReturnEveryReplyType) {
    RedisServer server;
    auto c = RedisConnection::open(parse_redis_url(server.url()));
    EXPECT_EQ(c->command({"SET", "k", std::string("v\0w", 3)}).str, "OK");
    Reply got = c->command({"GET", "k"});
    EXPECT_EQ(got.type, Reply::Type::string);
    EXPECT_EQ(got.str, std::string("v\0w", 3));  // binary-safe both ways
    EXPECT_TRUE(c->command({"GET", "missing"}).is_nil());
    Reply n = c->command({"INCRBY", "n", "41"});
    EXPECT_EQ(n.type, Reply::Type::integer);
    EXPECT_EQ(n.integer, 41);
    Reply many = c->command({"MGET", "k", "missing", "n"});
    ASSERT_EQ(many.type, Reply::Type::array);
    ASSERT_EQ(many.elements.size(), 3u);
    EXPECT_TRUE(many.elements[1].is_nil());
    EXPECT_EQ(many.elements[2].str, "41");
    EXPECT_EQ(c->command({"SET", "t", "v", "PX", "60000"}).str, "OK");
    long long pttl = c->command({"PTTL", "t"}).integer;
    EXPECT_GT(pttl, 0);
    EXPECT_LE(pttl, 60000);
}

TEST(RedisConnection, APipelineAnswersInOrderAndAnErrorInItHidesNothingElse) {
    RedisServer server;
    auto c = RedisConnection::open(parse_redis_url(server.url()));
    c->command({"LPUSH", "list", "x"});
    std::vector<Command> batch;
    for (int i = 0; i < 100; ++i) batch.push_back({"SET", "p" + std::to_string(i), std::to_string(i)});
    batch.push_back({"INCR", "list"});  // WRONGTYPE
    for (int i = 0; i < 100; ++i) batch.push_back({"GET", "p" + std::to_string(i)});
    std::vector<Reply> replies = c->pipeline(batch);
    ASSERT_EQ(replies.size(), 201u);
    EXPECT_EQ(replies[0].str, "OK");
    EXPECT_TRUE(replies[100].is_error());
    EXPECT_EQ(replies[100].str.substr(0, 9), "WRONGTYPE");
    for (int i = 0; i < 100; ++i) EXPECT_EQ(replies[size_t(101 + i)].str, std::to_string(i));
}

TEST(RedisConnection, AnErrorReplyIsTypedWithTheServersTextAndTheConnectionCarriesOn) {
    RedisServer server;
    auto c = RedisConnection::open(parse_redis_url(server.url()));
    c->command({"LPUSH", "list", "x"});
    RedisError e = error_of([&] { c->command({"GET", "list"}); }, RedisErrorKind::reply_error);
    EXPECT_NE(std::string(e.what()).find("WRONGTYPE Operation against a key holding the wrong"),
              std::string::npos)
        << e.what();
    EXPECT_TRUE(e.connection_usable());
    EXPECT_FALSE(c->broken());
    EXPECT_EQ(c->command({"PING"}).str, "PONG");
}

TEST(RedisConnection, TheUrlsDatabaseIsSelected) {
    RedisServer server;
    auto db2 = RedisConnection::open(parse_redis_url(server.url() + "/2"));
    auto db0 = RedisConnection::open(parse_redis_url(server.url()));
    db2->command({"SET", "only_in_2", "x"});
    EXPECT_TRUE(db0->command({"GET", "only_in_2"}).is_nil());
    EXPECT_EQ(db2->command({"GET", "only_in_2"}).str, "x");
}

TEST(RedisConnection, LogsInWithAPasswordOrAnAclUserAndRefusesWrongOnes) {
    RedisServer server({.password = "s3cret",
                        .extra_args = {"--user", "alice", "on", ">alices-pw", "~*", "&*", "+@all"}});
    std::string address = "127.0.0.1:" + std::to_string(server.port());
    auto with_password = RedisConnection::open(parse_redis_url("redis://:s3cret@" + address));
    EXPECT_EQ(with_password->command({"PING"}).str, "PONG");
    auto as_alice = RedisConnection::open(parse_redis_url("redis://alice:alices-pw@" + address));
    EXPECT_EQ(as_alice->command({"ACL", "WHOAMI"}).str, "alice");

    for (const char* wrong : {"redis://:not-it@", "redis://alice:not-it@", "redis://bob:s3cret@"}) {
        RedisError e = error_of([&] { RedisConnection::open(parse_redis_url(wrong + address)); },
                                RedisErrorKind::auth_failed);
        std::string message = e.what();
        EXPECT_NE(message.find("WRONGPASS"), std::string::npos) << message;
        EXPECT_EQ(message.find("not-it"), std::string::npos) << message;
        EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
        EXPECT_NE(message.find("check the user and password"), std::string::npos) << message;
    }
    auto anonymous = RedisConnection::open(parse_redis_url(server.url()));
    RedisError noauth = error_of([&] { anonymous->command({"GET", "k"}); },
                                 RedisErrorKind::auth_failed);
    EXPECT_NE(std::string(noauth.what()).find("NOAUTH"), std::string::npos) << noauth.what();
}

TEST(RedisConnection, NothingListeningIsConnectionRefusedAndABadNameIsUnknownHost) {
    int port = free_loopback_port();
    RedisError refused = error_of(
        [&] { RedisConnection::open(parse_redis_url("redis://127.0.0.1:" + std::to_string(port))); },
        RedisErrorKind::connection_refused);
    EXPECT_NE(std::string(refused.what()).find("127.0.0.1:" + std::to_string(port)),
              std::string::npos);
    EXPECT_NE(std::string(refused.what()).find("is redis-server running there?"),
              std::string::npos);
    error_of([] { RedisConnection::open(parse_redis_url("redis://no-such-host.invalid:6379")); },
             RedisErrorKind::unknown_host);
}

TEST(RedisConnection, AReplyLaterThanTheCommandTimeoutFailsAndBreaksTheConnection) {
    RedisServer server;
    auto c = RedisConnection::open(parse_redis_url(server.url()),
                                   {.connect_timeout = 2s, .command_timeout = 100ms});
    auto start = std::chrono::steady_clock::now();
    error_of([&] { c->command({"BLPOP", "empty", "2"}); }, RedisErrorKind::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
    EXPECT_TRUE(c->broken());
    error_of([&] { c->command({"PING"}); }, RedisErrorKind::io);
}

TEST(RedisConnection, AServerThatDiesLeavesABrokenConnectionAndARestartTakesNewOnes) {
    RedisServer server;
    auto c = RedisConnection::open(parse_redis_url(server.url()));
    EXPECT_EQ(c->command({"PING"}).str, "PONG");
    server.kill();
    error_of([&] { c->command({"PING"}); }, RedisErrorKind::io);
    EXPECT_TRUE(c->broken());
    error_of([&] { RedisConnection::open(parse_redis_url(server.url())); },
             RedisErrorKind::connection_refused);
    server.restart();
    EXPECT_EQ(RedisConnection::open(parse_redis_url(server.url()))->command({"PING"}).str, "PONG");
}

}  // namespace
}  // namespace cs::test
