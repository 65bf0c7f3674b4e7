#include "headless_cli.h"

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <thread>

#include "cache/origin.h"
#include "cachesim_cli.h"
#include "command_options.h"
#include "redis/redis_error.h"
#include "redis_cli.h"
#include "runtime/duration_text.h"
#include "runtime/errors.h"
#include "scenario/builtin_scenarios.h"
#include "scenario/controller.h"
#include "scenario/redis_access.h"
#include "scenario/scenario_loader.h"

namespace cs::app {
namespace {

using namespace std::chrono_literals;

struct RunArgs {
    std::string scenario;
    std::optional<rt::Duration> duration;
    double speed = 1.0;
    std::optional<uint64_t> seed;
    std::string report = "text";
    std::string trace;
    std::optional<std::string> redis;  // none: a private redis-server if a node needs Redis
};

const std::string usage =
    "usage: chanscope run FILE|NAME [--duration 10s] [--speed 1.0] [--seed N] [--report text|json] "
    "[--trace out.json] [--redis URL]\n"
    "       chanscope validate FILE|NAME\n"
    "       chanscope list\n"
    "       " +
    std::string(cachesim_usage) + "       " + std::string(redis_usage);

RunArgs parse_run(const std::vector<std::string>& args) {
    RunArgs r;
    auto opts = parse_command_options(
        args, 1, {"duration", "speed", "seed", "report", "trace", "redis"}, r.scenario);
    if (r.scenario.empty())
        throw UsageError{"run needs a scenario file or a built-in name (see chanscope list)"};
    if (opts.count("duration")) {
        r.duration = rt::parse_duration(opts["duration"]);
        if (!r.duration || *r.duration <= rt::Duration(0) || *r.duration > 24h)
            throw UsageError{"--duration: \"" + opts["duration"] +
                             "\" is not a duration between 1ms and 24h (such as 10s or 500ms)"};
    }
    if (opts.count("speed")) {
        char* end = nullptr;
        r.speed = std::strtod(opts["speed"].c_str(), &end);
        if (end == opts["speed"].c_str() || *end != '\0' || !(r.speed >= 0.05 && r.speed <= 10))
            throw UsageError{"--speed: \"" + opts["speed"] +
                             "\" is out of range (allowed: 0.05 .. 10)"};
    }
    if (opts.count("seed")) {
        const std::string& s = opts["seed"];
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 19)
            throw UsageError{"--seed: \"" + s + "\" is not a non-negative integer"};
        r.seed = std::stoull(s);
    }
    if (opts.count("report")) {
        r.report = opts["report"];
        if (r.report != "text" && r.report != "json")
            throw UsageError{"--report: \"" + r.report + "\" is not one of: text, json"};
    }
    if (opts.count("trace")) r.trace = opts["trace"];
    if (opts.count("redis")) r.redis = opts["redis"];
    return r;
}

void show_progress(std::ostream& err, const std::string& name, rt::Duration done,
                   rt::Duration total) {
    double f = std::min(1.0, double(done.count()) / double(total.count()));
    int filled = int(f * 30);
    err << "\r" << name << " [" << std::string(size_t(filled), '#')
        << std::string(size_t(30 - filled), ' ') << "] "
        << rt::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(done)) << " / "
        << rt::format_duration(total) << "   " << std::flush;
}

int run(const RunArgs& a, std::ostream& out, std::ostream& err, bool progress) {
    scenario::Scenario s = scenario::load_scenario(a.scenario);
    rt::Duration duration = a.duration.value_or(s.duration);
    scenario::RunOptions options;
    options.speed = a.speed;
    options.seed = a.seed;
    options.redis_url = a.redis;
    std::unique_ptr<scenario::Controller> built;
    try {
        built = std::make_unique<scenario::Controller>(s, options);
    } catch (const cache::OriginError& e) {  // an origin's database file it cannot use
        err << a.scenario << ": " << e.what() << "\n";
        return 2;
    } catch (const scenario::RedisUnavailable& e) {
        err << a.scenario << ": " << e.what() << "\n";
        return 2;
    } catch (const redis::RedisError& e) {  // a bad --redis URL, or Redis refusing
        err << a.scenario << ": " << e.what() << "\n";
        return e.kind() == redis::RedisErrorKind::bad_url ? 2 : 1;
    }
    scenario::Controller& c = *built;
    if (std::string redis = c.redis_in_use(); !redis.empty()) err << "redis: " << redis << "\n";
    if (!a.trace.empty()) c.engine().start_trace();
    c.start();
    auto last_progress = std::chrono::steady_clock::now();
    while (c.elapsed() < duration && !c.finished()) {
        std::this_thread::sleep_for(10ms);
        if (progress && std::chrono::steady_clock::now() - last_progress > 200ms) {
            show_progress(err, s.name, c.elapsed(), duration);
            last_progress = std::chrono::steady_clock::now();
        }
    }
    if (progress) {
        show_progress(err, s.name, std::min(c.elapsed(), duration), duration);
        err << "\n";
    }
    bool stopped = c.stop(scenario::StopMode::drain, 5s);
    scenario::ScenarioReport report = c.report();
    out << (a.report == "json" ? scenario::to_json(report) + "\n" : scenario::to_text(report))
        << std::flush;

    int status = 0;
    if (!stopped) {
        err << "chanscope: the scenario did not stop within 5 s of a drain and 5 s of a cancel\n";
        status = 1;
    }
    if (!report.task_errors.empty()) {
        err << "chanscope: " << report.task_errors.size()
            << " task(s) failed; first: " << report.task_errors[0] << "\n";
        status = 1;
    }
    if (!a.trace.empty()) {
        std::ofstream file(a.trace);
        if (file) c.engine().stop_trace(file);
        if (!file) {
            err << "chanscope: could not write the trace to " << a.trace << "\n";
            status = 1;
        }
    }
    return status;
}

}  // namespace

bool is_headless_command(const std::string& arg) {
    return arg == "run" || arg == "validate" || arg == "list" || arg == "cachesim" ||
           arg == "redis";
}

std::optional<int> run_headless_command(const std::vector<std::string>& args, std::ostream& out,
                                        std::ostream& err, bool progress_to_terminal) {
    if (args.empty() || !is_headless_command(args[0])) return std::nullopt;
    const std::string& command = args[0];
    for (size_t i = 1; i < args.size(); ++i)
        if (args[i] == "--help" || args[i] == "-h") {
            out << usage;
            return 0;
        }
    if (command == "cachesim") return run_cachesim_command(args, out, err);
    if (command == "redis") return run_redis_command(args, out, err);
    try {
        if (command == "list") {
            std::string none;
            parse_command_options(args, 1, {}, none);
            if (!none.empty()) throw UsageError{"list takes no argument"};
            for (const auto& b : scenario::builtin_scenarios()) {
                scenario::Scenario s =
                    scenario::parse_scenario(b.text, "builtin:" + std::string(b.name));
                out << std::left << std::setw(20) << s.name << s.title << "\n    " << s.description
                    << "\n";
            }
            return 0;
        }
        if (command == "validate") {
            std::string file;
            parse_command_options(args, 1, {}, file);
            if (file.empty()) throw UsageError{"validate needs a scenario file or a built-in name"};
            scenario::Scenario s = scenario::load_scenario(file);
            out << file << ": ok (" << s.nodes.size() << " nodes, " << s.live.size()
                << " live parameters)\n";
            return 0;
        }
        return run(parse_run(args), out, err, progress_to_terminal);
    } catch (const UsageError& e) {
        err << "chanscope " << command << ": " << e.message << "\n" << usage;
        return 2;
    } catch (const scenario::ScenarioError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        err << "chanscope " << command << ": " << e.what() << "\n";
        return 1;
    }
}

}  // namespace cs::app
