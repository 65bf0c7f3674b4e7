#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "headless_cli_support.h"

namespace cs::test {
namespace {

std::string temp_file(const std::string& name, const std::string& text) {
    auto path = std::filesystem::temp_directory_path() /
                ("chanscope_test_" + std::to_string(::getpid()) + "_" + name);
    std::ofstream(path) << text;
    return path.string();
}

TEST(HeadlessCli, ListShowsEveryBuiltinScenarioWithItsDescription) {
    Result r = chanscope({"list"});
    EXPECT_EQ(r.status, 0);
    for (const char* name : {"worker_pool", "fan_out_fan_in", "pipeline", "select_timeout",
                             "select_default", "select_nil_channel", "done_cancellation",
                             "rate_limit_burst", "semaphore_weighted", "error_group"})
        EXPECT_NE(r.out.find(name), std::string::npos) << name;
    EXPECT_NE(r.out.find("backpressure"), std::string::npos);  // descriptions come along
}

TEST(HeadlessCli, ValidateAcceptsAGoodScenarioAndRefusesABadOneWithItsPlace) {
    EXPECT_EQ(chanscope({"validate", "pipeline"}).status, 0);
    std::string bad = temp_file("bad.json",
                                "{\"name\": \"x\", \"description\": \"d\",\n \"nodes\": "
                                "[{\"kind\": \"sink\", \"name\": \"s\", \"queue\": -1}]}");
    Result r = chanscope({"validate", bad});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, bad + ":2:51: $.nodes[0].queue: -1 is out of range (allowed: 0 .. 100000)\n");
    std::filesystem::remove(bad);
}

TEST(HeadlessCli, RunPrintsOneJsonObjectWithPerNodeFigures) {
    Result r = chanscope({"run", "worker_pool", "--duration", "1s", "--speed", "10", "--seed", "3",
                          "--report", "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);  // exactly one object: parse fails on trailing text
    EXPECT_EQ(j["scenario"], "worker_pool");
    EXPECT_EQ(j["seed"], 3);
    EXPECT_EQ(j["stop"], "drain");
    ASSERT_EQ(j["nodes"].size(), 3u);
    const auto& pool = j["nodes"][1];
    EXPECT_EQ(pool["name"], "pool");
    EXPECT_GT(pool["counters"]["completed"].get<uint64_t>(), 0u);
    EXPECT_LE(pool["counters"]["completed"].get<uint64_t>(),
              pool["counters"]["accepted"].get<uint64_t>());
    EXPECT_EQ(pool["utilization"].size(), 4u);
    for (const char* key : {"p50", "p90", "p99", "max"})
        EXPECT_TRUE(pool["latency_ms"].contains(key)) << key;
    EXPECT_TRUE(pool["occupancy"]["queue"].contains("mean"));
    EXPECT_TRUE(j.contains("dropped_events"));
}

TEST(HeadlessCli, RunWritesATraceThatParses) {
    std::string trace = temp_file("trace.json", "");
    Result r =
        chanscope({"run", "pipeline", "--duration", "300ms", "--speed", "10", "--trace", trace});
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream in(trace);
    auto j = nlohmann::json::parse(in);
    EXPECT_GT(j["traceEvents"].size(), 10u);
    std::filesystem::remove(trace);
}

TEST(HeadlessCli, BadInputExitsWithTwoAndSaysWhatIsWrong) {
    Result r = chanscope({"run", "worker_pool", "--durration", "1s"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
              "chanscope run: unknown option --durration (options: --duration, --speed, --seed, "
              "--report, --trace, --redis)");
    std::string speed_err = chanscope({"run", "worker_pool", "--speed", "50"}).err;
    EXPECT_EQ(speed_err.substr(0, speed_err.find('\n')),
              "chanscope run: --speed: \"50\" is out of range (allowed: 0.05 .. 10)");
    EXPECT_EQ(chanscope({"run", "worker_pool", "--duration", "ten"}).status, 2);
    EXPECT_EQ(chanscope({"run", "worker_pool", "--report", "xml"}).status, 2);
    EXPECT_EQ(chanscope({"run", "worker_pool", "--seed", "-1"}).status, 2);
    EXPECT_EQ(chanscope({"run"}).status, 2);
    Result missing = chanscope({"run", "/no/such/file.json"});
    EXPECT_EQ(missing.status, 2);
    EXPECT_EQ(missing.err,
              "/no/such/file.json: cannot open the file (does it exist, and may you read it?)\n");
}

TEST(HeadlessCli, HelpPrintsTheUsageOfEverySubcommand) {
    for (const char* command : {"run", "validate", "list", "cachesim", "redis"}) {
        Result r = chanscope({command, "--help"});
        EXPECT_EQ(r.status, 0) << command;
        EXPECT_NE(r.out.find("usage: chanscope run"), std::string::npos) << command;
        EXPECT_NE(r.out.find("chanscope cachesim --trace FILE"), std::string::npos) << command;
        EXPECT_NE(r.out.find("chanscope redis stat --url URL"), std::string::npos) << command;
        EXPECT_EQ(r.err, "");
    }
}

TEST(HeadlessCli, OtherArgumentsAreNotHeadlessCommands) {
    std::ostringstream out, err;
    EXPECT_FALSE(app::run_headless_command({"--speed", "2"}, out, err, false).has_value());
    EXPECT_FALSE(app::run_headless_command({}, out, err, false).has_value());
}

}  // namespace
}  // namespace cs::test

namespace cs::test {
namespace {

TEST(HeadlessCli, ACacheScenarioReportsHitRatioOriginLoadsAndLatency) {
    Result r = chanscope({"run", "read_through", "--duration", "1s", "--speed", "10", "--report",
                          "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    const nlohmann::json* app = nullptr;
    for (const auto& n : j["nodes"])
        if (n["name"] == "app") app = &n;
    ASSERT_NE(app, nullptr);
    double ratio = (*app)["ratios"]["hit_ratio"].get<double>();
    EXPECT_GT(ratio, 0.0);
    EXPECT_LT(ratio, 1.0);
    EXPECT_GT((*app)["counters"]["origin_loads"].get<uint64_t>(), 0u);
    EXPECT_TRUE((*app)["latency_ms"].contains("p99"));
}

TEST(HeadlessCli, AnOriginPathThatCannotBeWrittenIsBadInput) {
    std::string file = temp_file("badpath.json", R"({"name": "badpath", "description": "d",
 "nodes": [{"kind": "source", "name": "s", "to": "app"},
           {"kind": "cache", "name": "app", "origin": "db"},
           {"kind": "origin", "name": "db", "path": "/proc/nope/db.sqlite"}]})");
    Result r = chanscope({"run", file, "--duration", "1s"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, file +
                         ": origin 'db': cannot use '/proc/nope/db.sqlite' as its database: "
                         "unable to open database file; choose a writable path (a new file or a "
                         "ChanScope database) or leave the path empty for a temp file\n");
    std::filesystem::remove(file);
}

}  // namespace
}  // namespace cs::test
