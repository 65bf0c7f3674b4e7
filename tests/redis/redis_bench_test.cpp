// `chanscope redis bench` on a real server: exactly -n requests per test reach the server (its own
// command count says so), with and without pipelining, on one event loop or several; the value has -d bytes; bad options are
// exit 2 naming the option and its range.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "../scenario/headless_cli_support.h"
#include "redis_server.h"
#include "resp_probe.h"

namespace cs::test {
namespace {

uint64_t commands_processed(int port) {
    auto info = redis_command(port, {"INFO", "stats"});
    std::string text = info ? info->str : "";
    size_t at = text.find("total_commands_processed:");
    return at == std::string::npos ? 0 : std::stoull(text.substr(at + 25));
}

TEST(RedisBenchCli, SendsExactlyTheRequestsAskedForWithAndWithoutPipelining) {
    RedisServer server;
    struct Shape {
        const char* pipeline;
        const char* threads;
    };
    for (Shape shape : {Shape{"1", "1"}, Shape{"16", "1"}, Shape{"16", "3"}}) {
        const char* pipeline = shape.pipeline;
        uint64_t before = commands_processed(server.port());
        Result r = chanscope({"redis", "bench", "--url", server.url(), "-c", "4", "-n", "1000",
                              "-P", pipeline, "-d", "10", "-t", "set,get", "--threads",
                              shape.threads, "--report", "json"});
        ASSERT_EQ(r.status, 0) << r.err;
        uint64_t after = commands_processed(server.port());
        // 2000 requests, plus the INFO that read `before`.
        EXPECT_EQ(after - before, 2001u) << "pipeline " << pipeline;
        std::istringstream lines(r.out);
        std::string line;
        std::vector<std::string> tests;
        while (std::getline(lines, line)) {
            auto j = nlohmann::json::parse(line);
            tests.push_back(j["test"]);
            EXPECT_EQ(j["requests"], 1000);
            EXPECT_GT(j["requests_per_sec"].get<double>(), 0);
            EXPECT_GE(j["latency_ms"]["p99"].get<double>(), j["latency_ms"]["p50"].get<double>());
        }
        EXPECT_EQ(tests, (std::vector<std::string>{"SET", "GET"}));
    }
    EXPECT_EQ(redis_command(server.port(), {"GET", "key:__rand_int__"})->str, std::string(10, 'x'));
}

TEST(RedisBenchCli, RefusesOptionsOutOfRange) {
    RedisServer server;
    struct Case {
        std::vector<std::string> extra;
        const char* says;
    };
    for (const Case& c : std::vector<Case>{{{"-c", "0"}, "clients (-c): 0 is out of range"},
                                           {{"-P", "0"}, "pipeline (-P): 0 is out of range"},
                                           {{"--threads", "65"}, "threads (--threads): 65 is out of range"},
                                           {{"-t", "set,incr"}, "\"incr\" is not one of"},
                                           {{"-n", "many"}, "-n: \"many\" is not a whole number"},
                                           {{"-x", "1"}, "unknown option \"-x\""}}) {
        std::vector<std::string> args{"redis", "bench", "--url", server.url()};
        args.insert(args.end(), c.extra.begin(), c.extra.end());
        Result r = chanscope(args);
        EXPECT_EQ(r.status, 2) << c.says;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    }
}

}  // namespace
}  // namespace cs::test
