// `chanscope redis events` against a real server: keyspace events printed as they happen, the
// server's notification setting turned on only when asked and put back on exit (after --count
// and on SIGINT), and a clear refusal when notifications are off.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <csignal>
#include <future>
#include <sstream>

#include "../scenario/headless_cli_support.h"
#include "redis_events_cli.h"
#include "redis_server.h"
#include "resp_probe.h"
#include "test_support.h"

namespace cs::test {
namespace {

// A command's reply: the string, or for an array its last element (CONFIG GET's value).
std::string ask(int port, const std::vector<std::string>& command) {
    std::optional<RespReply> r = redis_command(port, command);
    if (!r) return "(no reply)";
    if (r->type == RespReply::Type::array) return r->elements.empty() ? "" : r->elements.back().str;
    if (r->type == RespReply::Type::integer) return std::to_string(r->integer);
    return r->str;
}

std::string notify_setting(int port) {
    return ask(port, {"CONFIG", "GET", "notify-keyspace-events"});
}

// Runs `chanscope redis events` on its own thread; the caller makes events happen.
std::future<Result> events_in_background(std::vector<std::string> args) {
    return std::async(std::launch::async, [args] { return chanscope(args); });
}

bool listening(int port) {
    return ask(port, {"PUBSUB", "NUMPAT"}) == "1";
}

TEST(RedisEventsCli, PrintsKeyEventsAndPutsTheSettingBack) {
    RedisServer server;
    const std::string before = notify_setting(server.port());
    auto run = events_in_background({"redis", "events", "--url", server.url(), "--count", "3",
                                     "--enable-notifications", "--report", "json"});
    ASSERT_TRUE(eventually([&] { return listening(server.port()); }));
    EXPECT_NE(notify_setting(server.port()), before) << "notifications were not turned on";
    redis_command(server.port(), {"SET", "user:1", "Ada"});
    redis_command(server.port(), {"SET", "user:2", "Grace", "PX", "1"});
    redis_command(server.port(), {"DEL", "user:1"});
    ASSERT_EQ(run.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    Result r = run.get();
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream lines(r.out);
    std::vector<std::pair<std::string, std::string>> seen;
    for (std::string line; std::getline(lines, line);) {
        auto j = nlohmann::json::parse(line);
        EXPECT_EQ(j["db"], 0);
        EXPECT_GT(j["time_ms"].get<int64_t>(), 0);
        seen.emplace_back(j["event"], j["key"]);
    }
    using Seen = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(seen, (Seen{{"set", "user:1"}, {"set", "user:2"}, {"expire", "user:2"}}));
    EXPECT_EQ(notify_setting(server.port()), before) << "the setting was not put back";
}

TEST(RedisEventsCli, AnInterruptStopsItAndPutsTheSettingBack) {
    RedisServer server;
    redis_command(server.port(), {"CONFIG", "SET", "notify-keyspace-events", "Kx"});
    auto run = events_in_background(
        {"redis", "events", "--url", server.url(), "--enable-notifications"});
    ASSERT_TRUE(eventually([&] { return listening(server.port()); }));
    redis_command(server.port(), {"SET", "k", "v"});
    std::raise(SIGINT);  // what Ctrl-C does
    ASSERT_EQ(run.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    Result r = run.get();
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(notify_setting(server.port()), "xK");  // Redis's own spelling of "Kx"
}

TEST(RedisEventsCli, RefusesToListenWhenNotificationsAreOffAndLeavesThemOff) {
    RedisServer server;
    Result r = chanscope({"redis", "events", "--url", server.url(), "--count", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("--enable-notifications"), std::string::npos) << r.err;
    EXPECT_EQ(notify_setting(server.port()), "");
    Result bad = chanscope({"redis", "events", "--url", server.url(), "--count", "-1"});
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("--count"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace cs::test
