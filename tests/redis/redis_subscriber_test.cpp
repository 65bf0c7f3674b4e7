// RedisSubscriber on a real redis-server: channel and pattern messages in order, its CLIENT ID,
// the loss of the connection reported and healed, and a server that stops answering noticed by
// its PINGs.
#include <gtest/gtest.h>

#include <mutex>

#include "redis/redis_client.h"
#include "redis/redis_subscriber.h"
#include "redis_server.h"
#include "test_support.h"

namespace cs::test {
namespace {

using redis::parse_redis_url;
using redis::PubSubMessage;
using redis::RedisClient;
using redis::RedisSubscriber;

struct Heard {
    std::mutex mu;
    std::vector<PubSubMessage> messages;
    std::vector<long long> ids;
    std::vector<std::string> losses;

    redis::SubscriberHandlers handlers() {
        return {.on_message =
                    [this](const PubSubMessage& m) {
                        std::lock_guard lock(mu);
                        messages.push_back(m);
                    },
                .on_connected =
                    [this](long long id) {
                        std::lock_guard lock(mu);
                        ids.push_back(id);
                    },
                .on_lost =
                    [this](const std::string& why) {
                        std::lock_guard lock(mu);
                        losses.push_back(why);
                    }};
    }
    size_t count_messages() {
        std::lock_guard lock(mu);
        return messages.size();
    }
};

TEST(RedisSubscriber, DeliversChannelAndPatternMessagesInOrder) {
    RedisServer server;
    RedisClient publisher(parse_redis_url(server.url()));
    Heard heard;
    RedisSubscriber sub(parse_redis_url(server.url()),
                        {.channels = {"news"}, .patterns = {"orders:*"}}, heard.handlers());
    ASSERT_TRUE(eventually([&] { return sub.connected(); }));
    for (int i = 0; i < 100; ++i)
        publisher.command_blocking({"PUBLISH", "news", std::to_string(i)});
    publisher.command_blocking({"PUBLISH", "orders:eu", "shipped"});
    publisher.command_blocking({"PUBLISH", "elsewhere", "ignored"});
    ASSERT_TRUE(eventually([&] { return heard.count_messages() == 101; }));
    std::lock_guard lock(heard.mu);
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(heard.messages[i].channel, "news");
        EXPECT_EQ(heard.messages[i].pattern, "");
        EXPECT_EQ(heard.messages[i].payload.str, std::to_string(i));
    }
    EXPECT_EQ(heard.messages[100].channel, "orders:eu");
    EXPECT_EQ(heard.messages[100].pattern, "orders:*");
    EXPECT_EQ(heard.messages[100].payload.str, "shipped");
    ASSERT_EQ(heard.ids.size(), 1u);
    EXPECT_GT(heard.ids[0], 0);
    EXPECT_EQ(sub.messages(), 101u);
}

TEST(RedisSubscriber, ALostConnectionIsReportedAndHealsWithANewClientId) {
    RedisServer server;
    RedisClient admin(parse_redis_url(server.url()));
    Heard heard;
    RedisSubscriber sub(parse_redis_url(server.url()), {.channels = {"news"}}, heard.handlers());
    ASSERT_TRUE(eventually([&] { return sub.connected(); }));
    admin.command_blocking({"CLIENT", "KILL", "TYPE", "pubsub"});
    ASSERT_TRUE(eventually([&] { return sub.losses() == 1 && sub.connected(); }));
    admin.command_blocking({"PUBLISH", "news", "after"});
    ASSERT_TRUE(eventually([&] { return heard.count_messages() == 1; }));
    std::lock_guard lock(heard.mu);
    ASSERT_EQ(heard.ids.size(), 2u);
    EXPECT_NE(heard.ids[0], heard.ids[1]);
    ASSERT_EQ(heard.losses.size(), 1u);
    EXPECT_FALSE(heard.losses[0].empty());
}

TEST(RedisSubscriber, AServerThatStopsAnsweringIsNoticedByItsPings) {
    RedisServer server;
    RedisClient admin(parse_redis_url(server.url()));
    Heard heard;
    RedisSubscriber sub(parse_redis_url(server.url()), {.channels = {"news"}}, heard.handlers(),
                        {.connect = {.command_timeout = std::chrono::milliseconds(300)},
                         .ping_every = std::chrono::milliseconds(100)});
    ASSERT_TRUE(eventually([&] { return sub.connected(); }));
    // Every client's commands are held for 1 s: the socket stays open, the PING gets no answer.
    admin.command_blocking({"CLIENT", "PAUSE", "1000", "ALL"});
    ASSERT_TRUE(eventually([&] { return sub.losses() == 1; }, 900ms));
    EXPECT_NE(sub.last_error().find("PING"), std::string::npos) << sub.last_error();
    ASSERT_TRUE(eventually([&] { return sub.connected(); }));
}

TEST(RedisSubscriber, RefusesToListenToNothing) {
    EXPECT_THROW(RedisSubscriber(parse_redis_url("redis://127.0.0.1:1"), {}, {}),
                 rt::InvalidArgument);
}

}  // namespace
}  // namespace cs::test
