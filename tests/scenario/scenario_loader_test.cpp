#include <gtest/gtest.h>

#include "scenario/scenario_loader.h"

namespace cs::test {
namespace {

using namespace std::chrono_literals;
using scenario::parse_scenario;
using scenario::ScenarioError;

const char* const good = R"({
  "name": "worker_pool",
  "title": "Worker pool",
  "description": "Jobs queue up in front of four workers.",
  "duration": "5s",
  "seed": 7,
  "nodes": [
    {"kind": "source", "name": "producer", "to": "pool", "rate": 200, "burst": 5},
    {"kind": "pool", "name": "pool", "to": "sink", "workers": 4, "queue": 8,
     "work": {"dist": "uniform", "min": "10ms", "max": "30ms"}, "backpressure": "drop_newest"},
    {"kind": "sink", "name": "sink"}
  ],
  "live": [
    {"node": "pool", "param": "workers", "min": 1, "max": 16},
    {"node": "pool", "param": "work", "min": "1ms", "max": "200ms"}
  ]
})";

TEST(ScenarioLoader, ReadsAGoodFileWithDefaultsFilledIn) {
    auto s = parse_scenario(good, "good.json");
    EXPECT_EQ(s.name, "worker_pool");
    EXPECT_EQ(s.title, "Worker pool");
    EXPECT_EQ(s.duration, rt::Duration(5s));
    EXPECT_EQ(s.seed, 7u);
    ASSERT_EQ(s.nodes.size(), 3u);
    const auto& pool = s.nodes[1];
    EXPECT_EQ(pool.integer("workers"), 4);
    EXPECT_EQ(pool.text("backpressure"), "drop_newest");
    EXPECT_EQ(pool.duration("timeout"), rt::Duration(0));  // default
    EXPECT_EQ(pool.distribution("work").describe(), "uniform(10ms..30ms)");
    EXPECT_EQ(s.nodes[0].integer("count"), 0);  // default
    ASSERT_EQ(s.live.size(), 2u);
    EXPECT_EQ(s.live[1].min, 1e6);  // nanoseconds
    EXPECT_EQ(s.live[1].max, 200e6);
}

// Replaces the first occurrence of `from` in the good file.
std::string good_with(const std::string& from, const std::string& to) {
    std::string text = good;
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
}

struct BadCase {
    std::string text;
    std::string expected;  // the whole message
};

class BadFiles : public testing::TestWithParam<BadCase> {};

TEST_P(BadFiles, AreRefusedWithTheirPlaceAndReason) {
    try {
        parse_scenario(GetParam().text, "bad.json");
        FAIL() << "accepted: " << GetParam().text;
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), GetParam().expected);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadFiles,
    testing::Values(
        BadCase{"{\n  \"name\": \"x\",\n",
                "bad.json:3:1: not valid JSON: syntax error while parsing object key - unexpected "
                "end of input; expected string literal"},
        BadCase{"{\"name\": \"x\" \"description\": 1}",
                "bad.json:1:14: not valid JSON: syntax error while parsing object - unexpected "
                "string literal; expected '}'"},
        BadCase{"[1, 2]", "bad.json:1:1: $: expected an object, got an array"},
        BadCase{
            good_with("\"workers\": 4,", "\"wokers\": 4,"),
            "bad.json:9:52: $.nodes[1].wokers: unknown field \"wokers\" in a pool node (allowed: "
            "kind, name, to, workers, queue, backpressure, work, timeout, fail_rate)"},
        BadCase{good_with("\"workers\": 4,", "\"workers\": -3,"),
                "bad.json:9:63: $.nodes[1].workers: -3 is out of range (allowed: 1 .. 10000)"},
        BadCase{good_with("\"workers\": 4,", "\"workers\": \"four\","),
                "bad.json:9:63: $.nodes[1].workers: expected an integer, got a string (\"four\")"},
        BadCase{good_with("\"rate\": 200", "\"rate\": 0"),
                "bad.json:8:66: $.nodes[0].rate: 0 is out of range (allowed: 0.001 .. 1000000)"},
        BadCase{good_with("\"burst\": 5", "\"burst\": 0"),
                "bad.json:8:80: $.nodes[0].burst: 0 is out of range (allowed: 1 .. 1000000)"},
        BadCase{good_with("\"queue\": 8", "\"queue\": 2.5"),
                "bad.json:9:75: $.nodes[1].queue: expected an integer, got 2.5"},
        BadCase{good_with("\"backpressure\": \"drop_newest\"", "\"backpressure\": \"panic\""),
                "bad.json:10:81: $.nodes[1].backpressure: \"panic\" is not one of: block, "
                "drop_newest, reject"},
        BadCase{good_with("\"min\": \"10ms\"", "\"min\": \"10 parsecs\""),
                "bad.json:10:41: $.nodes[1].work.min: expected a duration such as \"20ms\" or "
                "\"1.5s\" (units: ns, us, ms, s, min, h), got a string (\"10 parsecs\")"},
        BadCase{good_with("\"max\": \"30ms\"", "\"max\": \"1ms\""),
                "bad.json:10:56: $.nodes[1].work.max: max (1ms) is less than min (10ms)"},
        BadCase{
            good_with("\"to\": \"sink\"", "\"to\": \"snk\""),
            "bad.json:9:44: $.nodes[1].to: no node named \"snk\" (nodes: producer, pool, sink)"},
        BadCase{
            good_with("\"kind\": \"sink\"", "\"kind\": \"drain\""),
            "bad.json:11:14: $.nodes[2].kind: unknown node kind \"drain\" (kinds: source, pool, "
            "stage, fan_out, rate_limit, shared_rate_limit, bounded, merge, timeout_consumer, sink, "
            "error_group, origin, cache)"},
        BadCase{good_with("\"name\": \"sink\"", "\"name\": \"pool\""),
                "bad.json:11:30: $.nodes[2].name: a node named \"pool\" already exists"},
        BadCase{good_with("\"to\": \"pool\", ", ""),
                "bad.json:8:5: $.nodes[0]: missing field \"to\" (the node this source sends to)"},
        BadCase{good_with("\"description\": \"Jobs queue up in front of four workers.\",", ""),
                "bad.json:1:1: $: missing field \"description\" (what the scenario shows)"},
        BadCase{good_with("\"param\": \"workers\"", "\"param\": \"queue\""),
                "bad.json:14:31: $.live[0].param: \"queue\" cannot change while a pool runs (live "
                "parameters of a pool: workers, work, fail_rate)"},
        BadCase{good_with("\"max\": 16", "\"max\": 100000"),
                "bad.json:14:59: $.live[0].max: 100000 is out of range (allowed: 1 .. 10000)"},
        BadCase{good_with("\"min\": 1, \"max\": 16", "\"min\": 8, \"max\": 16"),
                "bad.json:14:5: $.live[0]: the node's value 4 lies outside the slider's range"},
        BadCase{good_with("\"duration\": \"5s\"", "\"duration\": 5"),
                "bad.json:5:15: $.duration: expected a duration such as \"20ms\" or \"1.5s\" "
                "(units: ns, us, ms, s, min, h), got 5"},
        BadCase{good_with("\"to\": \"sink\", ", ""),
                "bad.json:11:5: $.nodes[2]: the sink \"sink\" needs at least 1 input (nodes "
                "sending to it with \"to\"), has 0"},
        BadCase{good_with("{\"kind\": \"sink\", \"name\": \"sink\"}",
                          "{\"kind\": \"stage\", \"name\": \"sink\", \"to\": \"pool\"}"),
                "bad.json:9:44: $.nodes[1].to: the nodes form a cycle: pool -> sink -> pool"}));

TEST(ScenarioLoader, AMissingFileSaysSo) {
    try {
        scenario::load_scenario_file("/nonexistent/dir/x.json");
        FAIL();
    } catch (const ScenarioError& e) {
        EXPECT_EQ(
            std::string(e.what()),
            "/nonexistent/dir/x.json: cannot open the file (does it exist, and may you read it?)");
        EXPECT_EQ(e.line(), 0);
    }
}

}  // namespace
}  // namespace cs::test
