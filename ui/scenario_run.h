#pragma once
// ScenarioRun: the scenario the window runs — a built-in lesson or a file, loaded, built and
// started on its own engine, and cancelled when another takes its place or the window closes.
// Opening never throws: a scenario that does not load or cannot start (a malformed file, Redis
// needed and none there, a database path it cannot use) comes back as the text to show, and the
// run already going keeps going. Not thread-safe: the GUI thread drives it.
//
//   ScenarioRun run;
//   if (std::string error = run.open("worker_pool", {.speed = 0.5}); !error.empty()) show(error);
//   Engine* engine = run.engine();   // what the views watch
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace cs {
class Engine;
}
namespace cs::scenario {
class Controller;
struct Scenario;
}  // namespace cs::scenario

namespace cs::ui {

struct RunSettings {
    double speed = 1.0;                      // 0.05 .. 10
    std::optional<std::string> redis_url{};  // the Redis of nodes that use one; none: private
};

class ScenarioRun {
  public:
    ScenarioRun();
    ~ScenarioRun();  // cancels the run
    ScenarioRun(const ScenarioRun&) = delete;
    ScenarioRun& operator=(const ScenarioRun&) = delete;

    // Replaces the current run with `file_or_name` (a path, or a built-in scenario's name),
    // started. "" on success; otherwise what went wrong, with the current run untouched.
    std::string open(const std::string& file_or_name, const RunSettings& settings);
    // Cancels the run (bounded: a task that ignores cancellation is left behind after 2 s).
    void close();
    // Stops the run without blocking the caller: a drain stops the sources and lets what is in
    // flight finish (up to 5 s, then cancels); a cancel stops everything now. The views keep
    // showing it as it winds down.
    void stop(bool drain);
    bool stopping() const noexcept { return m_stopper.joinable(); }

    Engine* engine() noexcept;                    // null with no run
    scenario::Controller* controller() noexcept;  // null with no run
    const scenario::Controller* controller() const noexcept { return m_controller.get(); }
    const scenario::Scenario* scenario() const noexcept;  // null with no run
    // What was opened last: the name or path given (for "Reset").
    const std::string& source() const noexcept { return m_source; }

  private:
    void join_stopper();

    std::unique_ptr<scenario::Controller> m_controller;
    std::string m_source;
    std::thread m_stopper;  // runs Controller::stop, which waits for the run to wind down
};

}  // namespace cs::ui
