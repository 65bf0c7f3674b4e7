#include "redis_cli.h"

#include <algorithm>
#include <iomanip>
#include <optional>
#include <ostream>
#include <thread>

#include "command_options.h"
#include "redis_events_cli.h"
#include "redis/cluster_monitor.h"
#include "redis/redis_bench.h"
#include "redis/redis_client.h"
#include "redis/redis_error.h"
#include "redis/redis_monitor.h"
#include "runtime/duration_text.h"
#include "runtime/errors.h"

namespace cs::app {

const char* const redis_usage =
    "chanscope redis stat --url URL [--password-file F] [--interval 1s] [--count N] "
    "[--report text|json]\n"
    "       chanscope redis events --url URL [--password-file F] [--count N] "
    "[--enable-notifications] [--report text|json]\n"
    "       chanscope redis bench --url URL [--password-file F] [-c 50] [-n 100000] [-P 1] "
    "[-d 3] [-t set,get] [--threads 1] [--report text|json]\n";

namespace {

struct StatArgs {
    redis::RedisUrl url;
    std::chrono::milliseconds interval{1000};
    uint64_t count = 0;  // 0: until interrupted
    bool json = false;
};

StatArgs parse_stat(const std::vector<std::string>& args) {
    std::string positional;
    auto opts = parse_command_options(
        args, 2, {"url", "password-file", "interval", "count", "report"}, positional);
    if (!positional.empty()) throw UsageError{"unexpected argument \"" + positional + "\""};
    if (!opts.count("url"))
        throw UsageError{"redis stat needs --url redis://[[user]:password@]host[:port][/db]"};
    StatArgs a;
    a.url = redis::with_credentials(redis::parse_redis_url(opts["url"]),
                                    {.password_file = opts["password-file"]});
    if (opts.count("interval")) {
        auto d = rt::parse_duration(opts["interval"]);
        if (!d || *d < std::chrono::milliseconds(10) || *d > std::chrono::hours(1))
            throw UsageError{"--interval: \"" + opts["interval"] +
                             "\" is not a duration in 10ms .. 1h (like 500ms or 2s)"};
        a.interval = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
    }
    if (opts.count("count"))
        a.count = parse_whole("--count", opts["count"], 0, 999'999'999,
                              "0 .. 999999999, 0: until interrupted");
    if (opts.count("report")) {
        if (opts["report"] != "text" && opts["report"] != "json")
            throw UsageError{"--report: \"" + opts["report"] + "\" is not one of: text, json"};
        a.json = opts["report"] == "json";
    }
    return a;
}

struct BenchArgs {
    redis::RedisUrl url;
    redis::BenchOptions options;
    bool json = false;
};

// A whole number for one of redis-benchmark's options; its range is the engine's to check (the
// bench names the option and the range), so only int overflow is cut off here.
uint64_t whole(const std::string& option, const std::string& text) {
    return parse_whole(option, text, 0, 999'999'999'999, "0 .. 999999999999");
}

// redis-benchmark's own options (-c -n -P -d -t --threads), so a command line carries over.
BenchArgs parse_bench(const std::vector<std::string>& args) {
    BenchArgs a;
    std::string url, password_file;
    for (size_t i = 2; i < args.size(); ++i) {
        const std::string& name = args[i];
        if (i + 1 >= args.size()) throw UsageError{name + " needs a value"};
        const std::string& value = args[++i];
        if (name == "--url") url = value;
        else if (name == "--password-file") password_file = value;
        else if (name == "-c") a.options.clients = int(std::min<uint64_t>(whole("-c", value), 100'000));
        else if (name == "-n") a.options.requests = whole("-n", value);
        else if (name == "-P") a.options.pipeline = int(std::min<uint64_t>(whole("-P", value), 1'000'000));
        else if (name == "-d") a.options.data_size = size_t(whole("-d", value));
        else if (name == "--threads") a.options.threads = int(std::min<uint64_t>(whole("--threads", value), 1'000));
        else if (name == "-t") {
            a.options.tests.clear();
            std::string t;
            for (char ch : value + ",") {
                if (ch != ',') { t += char(std::tolower(static_cast<unsigned char>(ch))); continue; }
                if (!t.empty()) a.options.tests.push_back(t);
                t.clear();
            }
        } else if (name == "--report") {
            if (value != "text" && value != "json")
                throw UsageError{"--report: \"" + value + "\" is not one of: text, json"};
            a.json = value == "json";
        } else {
            throw UsageError{"unknown option \"" + name +
                             "\" (known: --url, --password-file, -c, -n, -P, -d, -t, --threads, "
                             "--report)"};
        }
    }
    if (url.empty())
        throw UsageError{"redis bench needs --url redis://[[user]:password@]host[:port][/db]"};
    a.url = redis::with_credentials(redis::parse_redis_url(url), {.password_file = password_file});
    return a;
}

int run_bench(const BenchArgs& a, std::ostream& out) {
    for (const redis::BenchResult& r : redis::run_bench(a.url, a.options)) {
        auto ms = [](rt::Duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
        if (a.json) {
            out << redis::bench_json(r) << "\n";
        } else {
            out << r.test << ": " << std::fixed << std::setprecision(2) << r.requests_per_sec
                << " requests per second, p50=" << std::setprecision(3) << ms(r.latency.p50)
                << " msec, p99=" << ms(r.latency.p99) << " msec\n";
        }
    }
    out << std::flush;
    return 0;
}

// A node of a Redis Cluster is watched as the whole cluster: each master and the total. Which it
// is, is asked when the server first answers.
int run_stat(const StatArgs& a, std::ostream& out) {
    // Never wait longer than one interval to try again: each sample is an attempt.
    auto first = std::min(a.interval, std::chrono::milliseconds(100));
    const redis::RedisClientOptions options{.backoff = {.first = first, .max = a.interval}};
    redis::RedisClient client(a.url, options);
    redis::RedisMonitor monitor(client);
    std::optional<redis::ClusterMonitor> cluster;
    std::optional<bool> is_cluster;
    bool any = false;
    for (uint64_t n = 0; a.count == 0 || n < a.count; ++n) {
        if (n > 0) std::this_thread::sleep_for(a.interval);
        try {
            if (!is_cluster) is_cluster = redis::ClusterClient::is_cluster_node(client);
            if (*is_cluster) {
                if (!cluster) cluster.emplace(a.url, options);
                redis::ClusterSample s = cluster->sample();
                out << (a.json ? redis::cluster_json(s) : redis::cluster_text(s)) << "\n" << std::flush;
            } else {
                redis::MonitorSample s = monitor.sample();
                out << (a.json ? redis::monitor_json(s) : redis::monitor_text(s)) << "\n" << std::flush;
            }
            any = true;
        } catch (const redis::RedisError& e) {
            if (a.json)
                out << redis::monitor_down_json(e.what()) << "\n" << std::flush;
            else
                out << "down: " << e.what() << "\n" << std::flush;
        }
    }
    return any ? 0 : 1;
}

}  // namespace

int run_redis_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        if (args.size() >= 2 && args[1] == "stat") return run_stat(parse_stat(args), out);
        if (args.size() >= 2 && args[1] == "bench") return run_bench(parse_bench(args), out);
        if (args.size() >= 2 && args[1] == "events") return run_redis_events(args, out, err);
        throw UsageError{args.size() < 2 ? "redis needs a subcommand: stat, events or bench"
                                         : "unknown redis subcommand \"" + args[1] +
                                               "\" (known: stat, events, bench)"};
    } catch (const UsageError& e) {
        err << "chanscope redis: " << e.message << "\nusage: " << redis_usage;
        return 2;
    } catch (const redis::RedisError& e) {
        err << "chanscope redis: " << e.what() << "\n";
        return e.kind() == redis::RedisErrorKind::bad_url ||
                       e.kind() == redis::RedisErrorKind::bad_credentials
                   ? 2
                   : 1;
    } catch (const rt::InvalidArgument& e) {
        err << "chanscope redis: " << e.what() << "\nusage: " << redis_usage;
        return 2;
    } catch (const std::exception& e) {
        err << "chanscope redis: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace cs::app
