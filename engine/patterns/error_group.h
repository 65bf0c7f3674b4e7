#pragma once
// ErrorGroup: Go's errgroup.WithContext. Tasks started with go() share a context; the first one
// to fail (a status other than ok, or an exception) cancels it, so the others can stop early;
// wait() returns that first error once every task has ended.
//
//   ErrorGroup group(engine);
//   for (auto url : urls) group.go("fetch", [url](const Context& ctx) -> Task<Status> { ... });
//   if (auto err = co_await group.wait()) log(err->task, err->message);
//
// Thread-safe.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine.h"
#include "runtime/context.h"
#include "runtime/task.h"

namespace cs::patterns {

struct GroupError {
    std::string task;
    std::string message;
};

class ErrorGroup {
  public:
    using Fn = std::function<rt::Task<rt::Status>(const rt::Context&)>;

    explicit ErrorGroup(Engine& engine, rt::Context parent = rt::Context::background());
    ~ErrorGroup();  // cancels the group's context

    const rt::Context& context() const noexcept;
    void go(std::string name, Fn fn);
    // Waits for every task started so far; the first error, if any.
    rt::Task<std::optional<GroupError>> wait();

    struct State;

  private:
    Engine& m_engine;
    std::shared_ptr<State> m_state;
};

}  // namespace cs::patterns
