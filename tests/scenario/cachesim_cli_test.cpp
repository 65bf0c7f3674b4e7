// chanscope cachesim through the headless dispatcher, as the binary runs it: the JSON and text
// reports, and every bad input refused with exit status 2 and the exact message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "headless_cli_support.h"

namespace cs::test {
namespace {

std::string first_line(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

class CacheSimCli : public ::testing::Test {
  protected:
    // A file in a directory of this test's own, removed afterwards.
    std::string file(const std::string& name, const std::string& text) {
        std::string path = (m_dir / name).string();
        std::ofstream(path) << text;
        return path;
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    std::filesystem::path m_dir = [] {
        auto d = std::filesystem::temp_directory_path() /
                 ("chanscope_cachesim_test_" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
};

const std::string hint =
    " (expected one key per line, or the ARC format 'start count ignored ignored')\n";

TEST_F(CacheSimCli, IsAHeadlessCommand) {
    EXPECT_TRUE(app::is_headless_command("cachesim"));
}

TEST_F(CacheSimCli, JsonReportIsOneObjectWithEveryPolicyAndTheRequestCount) {
    // Keys and ARC lines mixed: 4 key lines, 5 + 3 ARC blocks, comments and a blank line.
    std::string trace = file("mixed.txt", "# header\na\nb\n100 5 0 0\n\na\n102 3 0 0\n# end\nb\n");
    Result r = chanscope({"cachesim", "--trace", trace, "--capacity", "2", "--report", "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    // Exactly one object (parse fails on trailing text); ordered, to see the printed order.
    auto j = nlohmann::ordered_json::parse(r.out);
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j.size(), 2u);
    EXPECT_EQ(j["requests"], 12);
    std::vector<std::string> names;
    for (auto& [name, ratio] : j["policies"].items()) {
        names.push_back(name);
        ASSERT_TRUE(ratio.is_number()) << name;
        EXPECT_GE(ratio.get<double>(), 0.0) << name;
        EXPECT_LE(ratio.get<double>(), 1.0) << name;
        EXPECT_LE(ratio.get<double>(), j["policies"]["opt"].get<double>()) << name;
    }
    EXPECT_EQ(names, (std::vector<std::string>{"lru", "lfu", "wtinylfu", "s3fifo", "opt"}));
}

TEST_F(CacheSimCli, OptOnTheTextbookTraceIsTheHandWorkedTwelveOfTwenty) {
    // The trace of BeladyOpt.TheTextbookTraceWithThreeEntries, one key per line.
    std::string text;
    for (int k : {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1})
        text += std::to_string(k) + "\n";
    Result r = chanscope({"cachesim", "--trace", file("textbook.txt", text), "--capacity", "3",
                          "--policy", "opt", "--report", "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["policies"].size(), 1u);
    EXPECT_DOUBLE_EQ(j["policies"]["opt"].get<double>(), 12.0 / 20.0);
    EXPECT_EQ(j["requests"], 20);
}

TEST_F(CacheSimCli, EachPolicyRunsAloneByName) {
    std::string trace = file("alone.txt", "x\ny\nx\nz\nx\ny\n");
    for (std::string name : {"lru", "lfu", "wtinylfu", "s3fifo", "opt"}) {
        Result r = chanscope({"cachesim", "--trace", trace, "--capacity", "2", "--policy", name,
                              "--report", "json"});
        ASSERT_EQ(r.status, 0) << name << ": " << r.err;
        auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["policies"].size(), 1u) << name;
        EXPECT_TRUE(j["policies"].contains(name)) << name;
    }
}

TEST_F(CacheSimCli, TextReportIsATableWithRequestsAndDistinctKeys) {
    std::string trace = file("keys.txt", "x\ny\nx\nz\nx\ny\n");
    Result r = chanscope({"cachesim", "--trace", trace, "--capacity=2"});
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    std::vector<std::string> all;
    while (std::getline(lines, line)) all.push_back(line);
    ASSERT_EQ(all.size(), 11u) << r.out;
    EXPECT_EQ(all[0], "trace          " + trace);
    EXPECT_EQ(all[1], "capacity       2 entries");
    EXPECT_EQ(all[2], "requests       6");
    EXPECT_EQ(all[3], "distinct keys  3");
    EXPECT_EQ(all[5], "policy    hits  hit ratio");
    // Hits worked by hand: LRU of 2 on x y x z x y hits x twice (positions 3 and 5); OPT hits
    // x twice and y once (z is skipped). S3-FIFO (small 1, main 1) hits x twice too: z's
    // arrival moves the hit x on to main and evicts y, which comes back too late to hit.
    EXPECT_EQ(all[6], "lru          2     33.33%");
    EXPECT_EQ(all[9], "s3fifo       2     33.33%");
    EXPECT_EQ(all[10], "opt          3     50.00%");
    EXPECT_EQ(all[7].substr(0, 3), "lfu");
    EXPECT_EQ(all[8].substr(0, 8), "wtinylfu");
}

TEST_F(CacheSimCli, GeneratedTracesRunWithoutAFile) {
    for (std::string kind : {"zipf", "loop", "zipf+scan", "zipf+loop"}) {
        std::vector<std::string> args = {"cachesim", "--generate", kind,   "--capacity",
                                         "50",       "--keys",     "2000", "--requests",
                                         "20000",    "--report",   "json"};
        if (kind != "loop") args.insert(args.end(), {"--skew", "0.8", "--seed", "4"});
        Result r = chanscope(args);
        ASSERT_EQ(r.status, 0) << kind << ": " << r.err;
        auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["requests"], 20000) << kind;
        double opt = j["policies"]["opt"];
        for (auto& [name, ratio] : j["policies"].items()) EXPECT_LE(ratio.get<double>(), opt);
    }
    Result scan = chanscope({"cachesim", "--generate", "scan", "--capacity", "10", "--requests",
                             "500", "--report", "json"});
    ASSERT_EQ(scan.status, 0) << scan.err;
    auto j = nlohmann::json::parse(scan.out);
    EXPECT_EQ(j["requests"], 500);
    for (auto& [name, ratio] : j["policies"].items()) EXPECT_EQ(ratio.get<double>(), 0.0) << name;

    Result text = chanscope({"cachesim", "--generate", "zipf", "--capacity", "10", "--keys", "100",
                             "--requests", "1000"});
    ASSERT_EQ(text.status, 0) << text.err;
    EXPECT_EQ(first_line(text.out),
              "trace          zipf, generated: 1000 requests, 100 keys, skew 0.9, seed 1");
}

TEST_F(CacheSimCli, TheSameSeedGivesTheSameFigures) {
    std::vector<std::string> args = {"cachesim", "--generate", "zipf+scan",  "--capacity", "100",
                                     "--keys",   "5000",       "--requests", "30000",      "--seed",
                                     "9",        "--report",   "json"};
    EXPECT_EQ(chanscope(args).out, chanscope(args).out);
}

// The exit status and the first line of stderr (the usage follows a usage error).
void expect_refused(std::vector<std::string> args, const std::string& message) {
    Result r = chanscope(args);
    EXPECT_EQ(r.status, 2) << message;
    EXPECT_EQ(r.out, "") << message;
    EXPECT_EQ(first_line(r.err), message);
}

TEST_F(CacheSimCli, UsageErrorsExitWithTwoAndSayWhatIsWrong) {
    std::string t = file("ok.txt", "a\nb\na\n");
    expect_refused({"cachesim", "--capacity", "10"},
                   "chanscope cachesim: cachesim needs --trace FILE (or --generate zipf, scan, "
                   "loop, zipf+scan, zipf+loop for a built-in trace)");
    expect_refused({"cachesim", "--trace", t},
                   "chanscope cachesim: cachesim needs --capacity N (cache entries, allowed: 1 .. "
                   "2^32)");
    for (const char* bad : {"0", "-5", "4294967297", "99999999999999999999999"})
        expect_refused({"cachesim", "--trace", t, "--capacity", bad},
                       "chanscope cachesim: --capacity: \"" + std::string(bad) +
                           "\" is out of range (allowed: 1 .. 2^32)");
    for (const char* bad : {"ten", "", "1e3", "5x", "-"})
        expect_refused({"cachesim", "--trace", t, "--capacity", bad},
                       "chanscope cachesim: --capacity: \"" + std::string(bad) +
                           "\" is not a whole number (allowed: 1 .. 2^32)");
    expect_refused({"cachesim", "--trace", t, "--capacity", "3", "--policy", "fifo"},
                   "chanscope cachesim: --policy: \"fifo\" is not one of: lru, lfu, wtinylfu, "
                   "s3fifo, opt, all");
    expect_refused({"cachesim", "--trace", t, "--capacity", "3", "--report", "xml"},
                   "chanscope cachesim: --report: \"xml\" is not one of: text, json");
    expect_refused({"cachesim", "--trace", t, "--generate", "zipf", "--capacity", "3"},
                   "chanscope cachesim: --trace and --generate both given: replay a file or a "
                   "generated trace");
    expect_refused({"cachesim", "--trace", t, "--capacity", "3", "--keys", "10"},
                   "chanscope cachesim: --keys goes with --generate (a trace file has its own "
                   "requests)");
    expect_refused({"cachesim", t, "--capacity", "3"},
                   "chanscope cachesim: unexpected argument \"" + t +
                       "\" (a trace file is given with --trace FILE)");
    expect_refused({"cachesim", "--trace", t, "--capacity", "3", "--bogus", "1"},
                   "chanscope cachesim: unknown option --bogus (options: --trace, --generate, "
                   "--capacity, --policy, --report, --keys, --requests, --skew, --seed)");
    expect_refused({"cachesim", "--generate", "zipf*2", "--capacity", "3"},
                   "chanscope cachesim: --generate: \"zipf*2\" is not one of: zipf, scan, loop, "
                   "zipf+scan, zipf+loop");
    expect_refused({"cachesim", "--generate", "zipf", "--capacity", "3", "--keys", "0"},
                   "chanscope cachesim: --keys: \"0\" is out of range (allowed: 1 .. 10000000)");
    expect_refused({"cachesim", "--generate", "zipf", "--capacity", "3", "--requests", "lots"},
                   "chanscope cachesim: --requests: \"lots\" is not a whole number (allowed: 1 .. "
                   "100000000)");
    expect_refused({"cachesim", "--generate", "zipf", "--capacity", "3", "--skew", "11"},
                   "chanscope cachesim: --skew: \"11\" is out of range (allowed: 0 .. 10)");
    expect_refused({"cachesim", "--generate", "zipf", "--capacity", "3", "--skew", "nan"},
                   "chanscope cachesim: --skew: \"nan\" is not a number (allowed: 0 .. 10)");
    expect_refused({"cachesim", "--generate", "zipf", "--capacity", "3", "--seed", "-1"},
                   "chanscope cachesim: --seed: \"-1\" is not a non-negative integer");
    expect_refused({"cachesim", "--generate", "scan", "--capacity", "3", "--keys", "9"},
                   "chanscope cachesim: --keys does not apply to --generate scan (every request "
                   "is a new key; --requests sets how many)");
    expect_refused({"cachesim", "--generate", "loop", "--capacity", "3", "--skew", "1"},
                   "chanscope cachesim: --skew does not apply to --generate loop (only the Zipf "
                   "traces are random)");
    expect_refused({"cachesim", "--generate", "scan", "--capacity", "3", "--seed", "2"},
                   "chanscope cachesim: --seed does not apply to --generate scan (only the Zipf "
                   "traces are random)");
    // The usage follows, naming both forms.
    Result r = chanscope({"cachesim", "--trace", t});
    EXPECT_NE(r.err.find("\nusage: chanscope cachesim --trace FILE --capacity N"),
              std::string::npos);
    EXPECT_NE(r.err.find("chanscope cachesim --generate zipf|scan|loop"), std::string::npos);
}

TEST_F(CacheSimCli, TheLargestCapacityIsAccepted) {
    Result r = chanscope({"cachesim", "--trace", file("ok.txt", "a\nb\na\n"), "--capacity",
                          "4294967296", "--report", "json"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_DOUBLE_EQ(nlohmann::json::parse(r.out)["policies"]["lru"].get<double>(), 1.0 / 3.0);
}

TEST_F(CacheSimCli, TraceFileErrorsNameTheFileAndLine) {
    auto refused = [&](const std::string& text, const std::string& message) {
        std::string path = file("bad.txt", text);
        Result r = chanscope({"cachesim", "--trace", path, "--capacity", "10"});
        EXPECT_EQ(r.status, 2) << message;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err, path + message);
    };
    refused("a\n100 -4 0 0\n", ":2: count \"-4\" is not a positive integer" + hint);
    refused("a\n100 four 0 0\n", ":2: count \"four\" is not a positive integer" + hint);
    refused("# c\n\nuser 42\n", ":3: a line of 2 fields" + hint);
    refused("1 2 3\n", ":1: a line of 3 fields" + hint);
    refused("1 2 3 4 5\n", ":1: a line of 5 fields" + hint);
    refused("x 2 0 0\n", ":1: start \"x\" is not a non-negative integer" + hint);

    Result missing = chanscope({"cachesim", "--trace", "/no/such/trace.txt", "--capacity", "10"});
    EXPECT_EQ(missing.status, 2);
    EXPECT_EQ(missing.err, "/no/such/trace.txt: cannot read it: No such file or directory\n");
    Result dir = chanscope({"cachesim", "--trace", m_dir.string(), "--capacity", "10"});
    EXPECT_EQ(dir.status, 2);
    EXPECT_EQ(dir.err, m_dir.string() + ": cannot read it: Is a directory\n");
}

TEST_F(CacheSimCli, AnEmptyTraceIsRefused) {
    for (const char* text : {"", "# only a comment\n\n   \n"}) {
        std::string path = file("empty.txt", text);
        Result r = chanscope({"cachesim", "--trace", path, "--capacity", "10"});
        EXPECT_EQ(r.status, 2);
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err, "chanscope cachesim: no requests in " + path + "\n");
    }
}

}  // namespace
}  // namespace cs::test
