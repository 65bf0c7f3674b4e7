#pragma once
// Controller: runs one scenario on its own engine and is the only way to steer it — start,
// pause, resume, single step, speed, live parameters, stop by draining or cancelling — and to
// read its report. Thread-safe: the GUI thread and a CLI call it while the engine runs.
//
//   Controller run(load_scenario_file("pool.json"));
//   run.start();
//   run.set_param("pool", "workers", 8);
//   ...
//   run.stop(StopMode::drain);
//   std::cout << to_text(run.report());
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "engine.h"
#include "runtime/context.h"
#include "scenario/report.h"
#include "scenario/scenario.h"

namespace cs::scenario {

struct RunOptions {
    double speed = 1.0;            // clock speed, 0.05 .. 10
    std::optional<uint64_t> seed;  // overrides the scenario's seed
    int workers = 0;               // scheduler threads; 0 = one per core
    telemetry::Level telemetry = telemetry::Level::on;
    // The Redis of nodes that use one; none: a private redis-server, started if a node asks.
    std::optional<std::string> redis_url{};
};

enum class StopMode {
    drain,   // sources stop; everything in flight finishes
    cancel,  // everything stops now
};

class Topology;
struct NodeEnv;
class RedisAccess;

class Controller {
  public:
    explicit Controller(Scenario scenario, RunOptions options = {});
    ~Controller();  // cancels whatever still runs
    Controller(const Controller&) = delete;
    Controller& operator=(const Controller&) = delete;

    void start();
    void pause();
    void resume();
    // While paused: run up to the next timer (the next thing that would happen).
    void step();
    void set_speed(double speed);  // InvalidArgument outside 0.05 .. 10

    // A live parameter, on the spec's numeric scale (durations and distribution means in
    // nanoseconds). InvalidArgument naming the node, the parameter and the allowed range if the
    // scenario does not declare it live or the value is outside its range.
    // value on the parameter's numeric scale: nanoseconds for durations, 0/1 for a boolean, the
    // position in the choices for a choice.
    void set_param(const std::string& node, const std::string& param, double value);
    double param(const std::string& node, const std::string& param) const;

    // Drain: stop the sources and wait up to `bound` of real time for the rest to finish, then
    // cancel. Cancel: stop everything and wait up to `bound`. True if every task ended.
    bool stop(StopMode mode, std::chrono::milliseconds bound = std::chrono::seconds(5));
    bool finished() const;  // every task of the scenario has ended
    bool started() const;

    rt::Duration elapsed() const;  // scenario time since start (until stop)
    ScenarioReport report() const;
    const Scenario& scenario() const noexcept { return m_scenario; }
    Engine& engine() noexcept { return *m_engine; }
    // The Redis the run uses ("" if none): the URL given, or the private server's.
    std::string redis_in_use() const;

  private:
    void cancel_now(const char* why);
    bool wait_finished(std::chrono::milliseconds bound) const;
    void start_sampler();
    void release_contexts();  // drops our run contexts and node environment

    Scenario m_scenario;
    RunOptions m_options;
    std::unique_ptr<RedisAccess> m_redis;  // outlives the engine: its tasks use the clients
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<NodeEnv> m_env;
    // Hard: cancelled by a cancel (everything stops). Soft, its child: cancelled by a drain.
    std::optional<std::pair<rt::Context, rt::CancelFunc>> m_hard, m_soft;
    std::unique_ptr<Topology> m_topology;
    std::atomic<bool> m_sampler_running{false};

    mutable std::mutex m_mu;
    bool m_started = false;
    std::optional<rt::TimePoint> m_start, m_end;
    std::chrono::steady_clock::time_point m_wall_start{}, m_wall_end{};
    std::string m_stop_reason = "running";
};

}  // namespace cs::scenario
