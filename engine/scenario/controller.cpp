#include "scenario/controller.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "runtime/duration_text.h"
#include "runtime/errors.h"
#include "runtime/select.h"
#include "runtime/timers.h"
#include "scenario/node_kinds.h"
#include "scenario/redis_access.h"
#include "scenario/topology.h"

namespace cs::scenario {

using namespace std::chrono_literals;

namespace {

constexpr rt::Duration sample_period = 10ms;  // scenario time between occupancy samples

// Objects created while it lives belong to `engine`, whatever thread creates them. It restores
// the thread's own binding, not Engine::current(): binding the thread to the latest engine would
// outlive that engine.
class BindEngine {
  public:
    explicit BindEngine(Engine& engine) : m_previous(Engine::bind_current_thread(&engine)) {}
    ~BindEngine() { Engine::bind_current_thread(m_previous); }
    BindEngine(const BindEngine&) = delete;
    BindEngine& operator=(const BindEngine&) = delete;

  private:
    Engine* m_previous;
};

EngineOptions engine_options(const RunOptions& o) {
    EngineOptions e;
    e.workers = o.workers;
    e.speed = o.speed;
    e.telemetry.level = o.telemetry;
    return e;
}

}  // namespace

Controller::Controller(Scenario scenario, RunOptions options)
    : m_scenario(std::move(scenario)), m_options(options) {
    if (options.speed < 0.05 || options.speed > 10)
        throw rt::InvalidArgument("speed: " + std::to_string(options.speed) +
                                  " is out of range (allowed: 0.05 .. 10)");
    m_redis = std::make_unique<RedisAccess>(options.redis_url);
    m_engine = std::make_unique<Engine>(engine_options(options));
    BindEngine bind(*m_engine);
    m_hard.emplace(rt::with_cancel(rt::Context::background()));
    m_soft.emplace(rt::with_cancel(m_hard->first));
    m_env.reset(new NodeEnv{*m_engine, m_hard->first, m_soft->first,
                            options.seed.value_or(m_scenario.seed), 1, {}, m_redis.get()});
    m_topology = std::make_unique<Topology>(*m_env, m_scenario);
}

std::string Controller::redis_in_use() const {
    return m_redis->describe();
}

Controller::~Controller() {
    cancel_now("cancel");
    // Every task, the sampler too: tasks read this controller's members until they return.
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (m_engine->live_tasks() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
    if (m_engine->live_tasks() == 0) {
        // The usual end: no task is left, and the nodes go while their engine still stands —
        // what they own (channels, a write-behind, a change-feed subscription) reports its end
        // to the engine's telemetry.
        BindEngine bind(*m_engine);
        m_topology.reset();
        release_contexts();
        m_engine.reset();
        return;
    }
    // A task would not end: the engine goes first, destroying the task frames still alive,
    // which may point into the nodes. Our references to the contexts go before it: their done
    // channels are the engine's objects too (frames still holding them keep them alive).
    release_contexts();
    m_engine.reset();
    m_topology.reset();
}

void Controller::release_contexts() {
    m_env.reset();
    m_soft.reset();
    m_hard.reset();
}

void Controller::start() {
    std::lock_guard lock(m_mu);
    if (m_started) throw rt::UsageError("the scenario " + m_scenario.name + " is already started");
    m_started = true;
    m_start = m_engine->clock().now();
    m_wall_start = std::chrono::steady_clock::now();
    BindEngine bind(*m_engine);
    m_topology->start();
    start_sampler();
    if (m_scenario.cancel_after) {
        m_engine->go("cancel after " + rt::format_duration(*m_scenario.cancel_after),
                     [this]() -> rt::Task<> {
                         // Sleeps on the drain context: a drain requested earlier ends this wait
                         // too.
                         if (co_await rt::sleep_for(m_soft->first, *m_scenario.cancel_after) ==
                             rt::Status::ok)
                             cancel_now("cancel_after");
                     });
    }
}

void Controller::start_sampler() {
    m_sampler_running = true;
    // References, not the owning pointers: the destructor resets those while the engine stops.
    Engine& engine = *m_engine;
    Topology& topology = *m_topology;
    rt::Context hard = m_hard->first;
    engine.go("occupancy sampler", [this, &engine, &topology, hard]() -> rt::Task<> {
        rt::Ticker ticker(sample_period, "sampler");
        for (;;) {
            topology.sample_gauges();
            int chosen =
                co_await rt::select(rt::recv_case(ticker.chan()), rt::recv_case(hard.done()));
            if (chosen != 0) break;
            // Once only the sampler is left, the scenario is over.
            if (engine.live_tasks() <= 1) break;
        }
        m_sampler_running = false;
    });
}

void Controller::pause() {
    m_engine->pause();
}
void Controller::resume() {
    m_engine->resume();
}
void Controller::step() {
    m_engine->step();
}

void Controller::set_speed(double speed) {
    if (speed < 0.05 || speed > 10)
        throw rt::InvalidArgument("speed: " + std::to_string(speed) +
                                  " is out of range (allowed: 0.05 .. 10)");
    m_engine->set_speed(speed);
}

void Controller::set_param(const std::string& node, const std::string& param, double value) {
    std::lock_guard lock(m_mu);
    const LiveParam* live = m_scenario.find_live(node, param);
    if (!live) {
        std::string names;
        for (const LiveParam& l : m_scenario.live)
            names += (names.empty() ? "" : ", ") + l.node + "." + l.param;
        throw rt::InvalidArgument(node + "." + param +
                                  " is not a live parameter of this scenario (live: " +
                                  (names.empty() ? "none" : names) + ")");
    }
    NodeSpec* spec = nullptr;
    for (NodeSpec& n : m_scenario.nodes)
        if (n.name == node) spec = &n;
    const ParamSpec& ps = *find_node_kind(spec->kind)->find(param);
    auto shown = [&](double v) {
        bool timed = ps.type == ParamType::duration || ps.type == ParamType::distribution;
        return timed ? rt::format_duration(rt::Duration(int64_t(v)))
                     : describe_value(ParamValue(v));
    };
    if (!(value >= live->min && value <= live->max))
        throw rt::InvalidArgument(node + "." + param + ": " + shown(value) +
                                  " is out of range (allowed: " + shown(live->min) + " .. " +
                                  shown(live->max) + ")");
    ParamValue v;
    switch (ps.type) {
        case ParamType::integer:
            if (value != std::floor(value))
                throw rt::InvalidArgument(node + "." + param + ": " + shown(value) +
                                          " is not a whole number");
            v = int64_t(value);
            break;
        case ParamType::number:
            v = value;
            break;
        case ParamType::duration:
            v = rt::Duration(int64_t(value));
            break;
        case ParamType::distribution:
            v = std::get<patterns::WorkDistribution>(spec->param(param))
                    .with_mean(rt::Duration(int64_t(value)));
            break;
        case ParamType::boolean:
            v = value != 0;
            break;
        case ParamType::choice:
            if (value != std::floor(value))
                throw rt::InvalidArgument(node + "." + param + ": " + shown(value) +
                                          " is not a position (0 .. " +
                                          std::to_string(ps.choices.size() - 1) + ")");
            v = ps.choices[size_t(value)];
            break;
        default:
            throw rt::InvalidArgument(node + "." + param + " cannot be set from a number");
    }
    BindEngine bind(*m_engine);
    m_topology->find(node)->set_param(param, v);
    spec->params[param] = v;
}

double Controller::param(const std::string& node, const std::string& param) const {
    std::lock_guard lock(m_mu);
    const NodeSpec* spec = m_scenario.find_node(node);
    if (!spec || !spec->params.count(param))
        throw rt::InvalidArgument("no parameter " + node + "." + param);
    const ParamSpec* ps = find_node_kind(spec->kind)->find(param);
    if (ps && ps->type == ParamType::choice) {  // a switch's position
        auto at = std::find(ps->choices.begin(), ps->choices.end(), spec->text(param));
        return double(at - ps->choices.begin());
    }
    return numeric(spec->param(param));
}

void Controller::cancel_now(const char* why) {
    {
        std::lock_guard lock(m_mu);
        if (m_hard->first.cancelled()) return;
        if (m_stop_reason == "running") m_stop_reason = why;
        if (m_start && !m_end) {
            m_end = m_engine->clock().now();
            m_wall_end = std::chrono::steady_clock::now();
        }
    }
    m_hard->second();
    for (const auto& n : m_topology->nodes()) n->on_cancel();
}

bool Controller::stop(StopMode mode, std::chrono::milliseconds bound) {
    {
        std::lock_guard lock(m_mu);
        if (!m_started) return true;
        if (m_stop_reason == "running")
            m_stop_reason = mode == StopMode::drain ? "drain" : "cancel";
    }
    m_engine->resume();  // a paused clock would hold the drain forever
    bool drained = false;
    if (mode == StopMode::drain) {
        m_soft->second();
        drained = wait_finished(bound);
        std::lock_guard lock(m_mu);
        if (drained && !m_end) {
            m_end = m_engine->clock().now();
            m_wall_end = std::chrono::steady_clock::now();
        }
        if (!drained)
            m_stop_reason = "drain, then cancel (it did not finish in " +
                            std::to_string(bound.count()) + " ms)";
    }
    // After a drain only the sampler is left: cancelling ends it too.
    cancel_now("cancel");
    auto deadline = std::chrono::steady_clock::now() + bound;
    while (m_engine->live_tasks() > 0) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

bool Controller::wait_finished(std::chrono::milliseconds bound) const {
    auto deadline = std::chrono::steady_clock::now() + bound;
    while (!finished()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

bool Controller::finished() const {
    size_t live = m_engine->live_tasks();
    return live == 0 || (live == 1 && m_sampler_running.load());
}

bool Controller::started() const {
    std::lock_guard lock(m_mu);
    return m_started;
}

rt::Duration Controller::elapsed() const {
    std::lock_guard lock(m_mu);
    if (!m_start) return rt::Duration(0);
    return (m_end ? *m_end : m_engine->clock().now()) - *m_start;
}

ScenarioReport Controller::report() const {
    ScenarioReport r;
    r.scenario = m_scenario.name;
    r.title = m_scenario.title;
    r.elapsed = elapsed();
    {
        std::lock_guard lock(m_mu);
        auto wall_end = m_end ? m_wall_end : std::chrono::steady_clock::now();
        r.wall_seconds =
            m_start ? std::chrono::duration<double>(wall_end - m_wall_start).count() : 0;
        r.stop = m_stop_reason;
    }
    r.speed = m_engine->clock().speed();
    r.seed = m_env->seed;
    r.dropped_events = m_engine->telemetry().dropped();
    for (const TaskError& e : m_engine->task_errors())
        r.task_errors.push_back(e.task_name + ": " + e.what);
    r.nodes = m_topology->reports(r.elapsed);
    return r;
}

}  // namespace cs::scenario
