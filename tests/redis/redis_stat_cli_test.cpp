// `chanscope redis stat` against a real server: JSON lines with every field the monitor promises,
// text lines, the down state while the server is gone (then back), and bad input as exit 2 with
// the reason and never the password.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../scenario/headless_cli_support.h"
#include "redis_server.h"
#include "resp_probe.h"

namespace cs::test {
namespace {

TEST(RedisStatCli, PrintsOneJsonObjectPerSampleWithEveryField) {
    RedisServer server;
    redis_command(server.port(), {"SET", "k", "v"});
    redis_command(server.port(), {"GET", "k"});
    redis_command(server.port(), {"GET", "missing"});
    Result r = chanscope({"redis", "stat", "--url", server.url(), "--interval", "50ms", "--count",
                          "3", "--report", "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    std::vector<std::string> lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    for (const std::string& line : lines) {
        auto j = nlohmann::json::parse(line);
        for (const char* field :
             {"ops_per_sec", "keyspace_hits", "keyspace_misses", "hit_rate", "hit_rate_window",
              "used_memory", "evicted_keys", "expired_keys", "connected_clients"})
            EXPECT_TRUE(j.contains(field)) << field << " in " << line;
        EXPECT_GE(j["latency_ms"]["p99"].get<double>(), j["latency_ms"]["p50"].get<double>());
        EXPECT_EQ(j["keyspace_hits"], 1);
        EXPECT_EQ(j["keyspace_misses"], 1);
        EXPECT_DOUBLE_EQ(j["hit_rate"].get<double>(), 0.5);
    }
    // Later windows: the monitor's own INFO and PINGs are commands, no keyspace lookups.
    auto last = nlohmann::json::parse(lines[2]);
    EXPECT_GT(last["ops_per_sec"].get<double>(), 0);
    EXPECT_EQ(last["hit_rate_window"].get<double>(), 0.0);
}

TEST(RedisStatCli, TextLinesAndTheDownStateWhileTheServerIsGone) {
    RedisServer server;
    Result up = chanscope({"redis", "stat", "--url", server.url(), "--count", "1"});
    ASSERT_EQ(up.status, 0) << up.err;
    EXPECT_NE(up.out.find("hit rate"), std::string::npos) << up.out;
    EXPECT_NE(up.out.find("ping p50"), std::string::npos) << up.out;
    server.stop();
    Result down = chanscope({"redis", "stat", "--url", server.url(), "--interval", "20ms",
                             "--count", "2", "--report", "json"});
    EXPECT_EQ(down.status, 1);  // not one sample read
    for (const std::string& line : lines_of(down.out)) {
        auto j = nlohmann::json::parse(line);
        EXPECT_EQ(j["state"], "down");
        EXPECT_NE(j["error"].get<std::string>().find("connection refused"), std::string::npos);
    }
}

TEST(RedisStatCli, BadInputIsExitTwoWithTheReasonAndNeverThePassword) {
    Result no_url = chanscope({"redis", "stat"});
    EXPECT_EQ(no_url.status, 2);
    EXPECT_NE(no_url.err.find("needs --url"), std::string::npos) << no_url.err;
    Result bad_port = chanscope({"redis", "stat", "--url", "redis://:hunter2@h:70000"});
    EXPECT_EQ(bad_port.status, 2);
    EXPECT_NE(bad_port.err.find("port 70000 is out of range"), std::string::npos) << bad_port.err;
    EXPECT_EQ(bad_port.err.find("hunter2"), std::string::npos) << bad_port.err;
    Result interval =
        chanscope({"redis", "stat", "--url", "redis://127.0.0.1", "--interval", "forever"});
    EXPECT_EQ(interval.status, 2);
    EXPECT_NE(interval.err.find("--interval"), std::string::npos) << interval.err;
    Result unknown = chanscope({"redis", "monitor"});
    EXPECT_EQ(unknown.status, 2);
    EXPECT_NE(unknown.err.find("unknown redis subcommand \"monitor\" (known: stat, events, bench)"),
              std::string::npos)
        << unknown.err;
    Result file = chanscope({"redis", "stat", "--url", "redis://127.0.0.1", "--password-file",
                             "/nonexistent/pw"});
    EXPECT_EQ(file.status, 2);
    EXPECT_NE(file.err.find("/nonexistent/pw"), std::string::npos) << file.err;
}

}  // namespace
}  // namespace cs::test
