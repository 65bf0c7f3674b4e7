#include "scenario_run.h"

#include <exception>

#include "engine.h"
#include "scenario/builtin_scenarios.h"
#include "scenario/controller.h"

namespace cs::ui {

ScenarioRun::ScenarioRun() = default;

ScenarioRun::~ScenarioRun() {
    close();
}

std::string ScenarioRun::open(const std::string& file_or_name, const RunSettings& settings) {
    // Built before the current run stops: a scenario that cannot be built (ScenarioError with
    // file:line:col, RedisUnavailable, RedisError, OriginError, InvalidArgument, each saying what
    // to do) leaves it running. Started after it stops: two runs never share the cores.
    std::unique_ptr<scenario::Controller> next;
    try {
        scenario::RunOptions options;
        options.speed = settings.speed;
        options.redis_url = settings.redis_url;
        next =
            std::make_unique<scenario::Controller>(scenario::load_scenario(file_or_name), options);
    } catch (const std::exception& e) {
        return e.what();
    }
    close();
    m_controller = std::move(next);
    m_source = file_or_name;
    try {
        m_controller->start();
    } catch (const std::exception& e) {
        m_controller.reset();
        return e.what();
    }
    return "";
}

void ScenarioRun::close() {
    if (!m_controller) return;
    m_controller->stop(scenario::StopMode::cancel, std::chrono::seconds(2));
    join_stopper();  // ends soon: the cancel above ends what it waits for
    m_controller.reset();
}

void ScenarioRun::stop(bool drain) {
    if (!m_controller) return;
    if (stopping()) {
        if (drain) return;  // already winding down
        // Cancels without waiting, which ends the drain's wait soon.
        m_controller->stop(scenario::StopMode::cancel, std::chrono::milliseconds(0));
        join_stopper();
    }
    scenario::Controller* run = m_controller.get();
    m_stopper = std::thread([run, drain] {
        run->stop(drain ? scenario::StopMode::drain : scenario::StopMode::cancel,
                  std::chrono::seconds(5));
    });
}

void ScenarioRun::join_stopper() {
    if (m_stopper.joinable()) m_stopper.join();
}

Engine* ScenarioRun::engine() noexcept {
    return m_controller ? &m_controller->engine() : nullptr;
}

scenario::Controller* ScenarioRun::controller() noexcept {
    return m_controller.get();
}

const scenario::Scenario* ScenarioRun::scenario() const noexcept {
    return m_controller ? &m_controller->scenario() : nullptr;
}

}  // namespace cs::ui
