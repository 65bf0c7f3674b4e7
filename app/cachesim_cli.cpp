#include "cachesim_cli.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <sstream>

#include "cache/cachesim.h"
#include "cache/trace_file.h"
#include "cache/trace_generators.h"
#include "command_options.h"

namespace cs::app {

const char* const cachesim_usage =
    "chanscope cachesim --trace FILE --capacity N [--policy lru|lfu|wtinylfu|s3fifo|opt|all] "
    "[--report text|json]\n"
    "       chanscope cachesim --generate zipf|scan|loop|zipf+scan|zipf+loop --capacity N "
    "[--keys 100000]\n"
    "                          [--requests 1000000] [--skew 0.9] [--seed 1] [--policy ...] "
    "[--report ...]\n";

namespace {

// The generated traces. The mixes put a quarter of the requests into the second pattern,
// spliced in after every third Zipf request.
//   zipf       `requests` requests over `keys` keys, key k with probability ~ 1/(k+1)^skew
//   scan       `requests` keys, each requested once: no cache can hit (--keys does not apply)
//   loop       keys 0 .. keys-1 in order, over and over: LRU's worst case once keys > capacity
//   zipf+scan  Zipf with one-time keys mixed in (the scan that flushes an LRU)
//   zipf+loop  Zipf with a loop over 1.5 x capacity keys mixed in (just too big for an LRU)
const std::vector<std::string> generator_names = {"zipf", "scan", "loop", "zipf+scan", "zipf+loop"};

struct GenerateArgs {
    std::string kind;               // one of generator_names
    uint64_t keys = 100'000;        // distinct keys of the Zipf part or the loop, 1 .. 10^7
    uint64_t requests = 1'000'000;  // requests in all, 1 .. 10^8
    double skew = 0.9;              // Zipf exponent, 0 (uniform) .. 10
    uint64_t seed = 1;              // the same seed gives the same trace
};

struct CacheSimArgs {
    std::string trace_file;                // "": generated instead
    std::optional<GenerateArgs> generate;  // nullopt: read from trace_file
    uint64_t capacity = 0;                 // entries, 1 .. 2^32
    std::vector<cache::SimulatedPolicy> policies;
    std::string report = "text";
};

constexpr uint64_t max_capacity = uint64_t{1} << 32;

std::string list_of(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

CacheSimArgs parse_cachesim(const std::vector<std::string>& args) {
    std::string positional;
    auto opts = parse_command_options(
        args, 1,
        {"trace", "generate", "capacity", "policy", "report", "keys", "requests", "skew", "seed"},
        positional);
    if (!positional.empty())
        throw UsageError{"unexpected argument \"" + positional +
                         "\" (a trace file is given with --trace FILE)"};
    CacheSimArgs a;
    if (opts.count("trace") && opts.count("generate"))
        throw UsageError{"--trace and --generate both given: replay a file or a generated trace"};
    if (!opts.count("trace") && !opts.count("generate"))
        throw UsageError{"cachesim needs --trace FILE (or --generate " + list_of(generator_names) +
                         " for a built-in trace)"};
    if (!opts.count("capacity"))
        throw UsageError{"cachesim needs --capacity N (cache entries, allowed: 1 .. 2^32)"};
    a.capacity = parse_whole("--capacity", opts["capacity"], 1, max_capacity, "1 .. 2^32");

    std::string policy = opts.count("policy") ? opts["policy"] : "all";
    if (policy == "all") {
        a.policies = cache::all_simulated_policies();
    } else if (auto p = cache::simulated_policy_named(policy)) {
        a.policies = {*p};
    } else {
        throw UsageError{"--policy: \"" + policy +
                         "\" is not one of: lru, lfu, wtinylfu, s3fifo, opt, all"};
    }
    if (opts.count("report")) {
        a.report = opts["report"];
        if (a.report != "text" && a.report != "json")
            throw UsageError{"--report: \"" + a.report + "\" is not one of: text, json"};
    }

    if (opts.count("trace")) {
        a.trace_file = opts["trace"];
        if (a.trace_file.empty()) throw UsageError{"--trace: empty file name"};
        for (const char* g : {"keys", "requests", "skew", "seed"})
            if (opts.count(g))
                throw UsageError{"--" + std::string(g) +
                                 " goes with --generate (a trace file has its own requests)"};
        return a;
    }
    GenerateArgs g;
    g.kind = opts["generate"];
    if (std::find(generator_names.begin(), generator_names.end(), g.kind) == generator_names.end())
        throw UsageError{"--generate: \"" + g.kind +
                         "\" is not one of: " + list_of(generator_names)};
    if (opts.count("keys")) {
        if (g.kind == "scan")
            throw UsageError{
                "--keys does not apply to --generate scan (every request is a new "
                "key; --requests sets how many)"};
        g.keys = parse_whole("--keys", opts["keys"], 1, 10'000'000, "1 .. 10000000");
    }
    for (const char* zipf_only : {"skew", "seed"})
        if (opts.count(zipf_only) && g.kind.rfind("zipf", 0) != 0)
            throw UsageError{"--" + std::string(zipf_only) + " does not apply to --generate " +
                             g.kind + " (only the Zipf traces are random)"};
    if (opts.count("requests"))
        g.requests = parse_whole("--requests", opts["requests"], 1, 100'000'000, "1 .. 100000000");
    if (opts.count("skew")) {
        const std::string& s = opts["skew"];
        char* end = nullptr;
        g.skew = std::strtod(s.c_str(), &end);
        if (end == s.c_str() || *end != '\0' || !std::isfinite(g.skew))
            throw UsageError{"--skew: \"" + s + "\" is not a number (allowed: 0 .. 10)"};
        if (g.skew < 0 || g.skew > 10)
            throw UsageError{"--skew: \"" + s + "\" is out of range (allowed: 0 .. 10)"};
    }
    if (opts.count("seed")) {
        const std::string& s = opts["seed"];
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 19)
            throw UsageError{"--seed: \"" + s + "\" is not a non-negative integer"};
        g.seed = std::stoull(s);
    }
    a.generate = g;
    return a;
}

std::vector<uint64_t> generate(const GenerateArgs& g, uint64_t capacity) {
    if (g.kind == "zipf") return cache::zipf_trace(g.keys, g.skew, g.requests, g.seed);
    if (g.kind == "scan") return cache::scan_trace(0, g.requests);
    if (g.kind == "loop") {
        auto t = cache::loop_trace(0, g.keys, (g.requests + g.keys - 1) / g.keys);
        t.resize(g.requests);
        return t;
    }
    // A mix: the second pattern's keys start after the Zipf part's, so they are new keys.
    uint64_t second = g.requests / 4;
    auto zipf = cache::zipf_trace(g.keys, g.skew, g.requests - second, g.seed);
    if (g.kind == "zipf+scan") return cache::interleave(zipf, cache::scan_trace(g.keys, second), 3);
    // 1.5 x capacity, unless the loop part is shorter than that (a huge capacity).
    uint64_t loop_keys = std::max<uint64_t>(1, std::min(capacity + capacity / 2, second));
    auto loop =
        cache::loop_trace(g.keys, loop_keys, second ? (second + loop_keys - 1) / loop_keys : 0);
    loop.resize(second);
    return cache::interleave(zipf, loop, 3);
}

std::string describe(const CacheSimArgs& a) {
    if (!a.generate) return a.trace_file;
    const GenerateArgs& g = *a.generate;
    std::ostringstream s;
    s << g.kind << ", generated: " << g.requests << " requests";
    if (g.kind != "scan") s << ", " << g.keys << " keys";
    if (g.kind.rfind("zipf", 0) == 0) s << ", skew " << g.skew << ", seed " << g.seed;
    return s.str();
}

void print_text(std::ostream& out, const CacheSimArgs& a, const cache::CacheSimResult& r) {
    std::ostringstream s;  // its own stream: no formatting flags left behind on `out`
    s << "trace          " << describe(a) << "\n"
      << "capacity       " << r.capacity << " entries\n"
      << "requests       " << r.requests << "\n"
      << "distinct keys  " << r.distinct_keys << "\n\n";
    int hits_width = std::max<int>(4, int(std::to_string(r.requests).size()));
    s << std::left << std::setw(10) << "policy" << std::right << std::setw(hits_width) << "hits"
      << "  hit ratio\n";
    s << std::fixed << std::setprecision(2);
    for (const auto& o : r.outcomes)
        s << std::left << std::setw(10) << to_string(o.policy) << std::right
          << std::setw(hits_width) << o.hits << std::setw(10) << o.hit_ratio * 100 << "%\n";
    out << s.str();
}

void print_json(std::ostream& out, const cache::CacheSimResult& r) {
    nlohmann::ordered_json policies = nlohmann::ordered_json::object();
    for (const auto& o : r.outcomes) policies[to_string(o.policy)] = o.hit_ratio;
    nlohmann::ordered_json j = {{"policies", policies}, {"requests", r.requests}};
    out << j.dump() << "\n";
}

}  // namespace

int run_cachesim_command(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
    try {
        CacheSimArgs a = parse_cachesim(args);
        std::vector<uint64_t> trace;
        if (a.generate) {
            trace = generate(*a.generate, a.capacity);
        } else {
            trace = cache::read_trace_file(a.trace_file).keys;
            if (trace.empty()) {
                err << "chanscope cachesim: no requests in " << a.trace_file << "\n";
                return 2;
            }
        }
        auto result = cache::simulate_policies(trace, a.capacity, a.policies);
        if (a.report == "json")
            print_json(out, result);
        else
            print_text(out, a, result);
        out << std::flush;
        return 0;
    } catch (const UsageError& e) {
        err << "chanscope cachesim: " << e.message << "\nusage: " << cachesim_usage;
        return 2;
    } catch (const cache::TraceError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        err << "chanscope cachesim: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace cs::app
