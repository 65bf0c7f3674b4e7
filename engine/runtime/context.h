#pragma once
// Context: Go's context.Context — a cancellation tree with deadlines. Cancelling a context
// cancels every context derived from it; done() is a channel closed at cancellation, so a task
// can select on it; err() says why (cancelled or deadline exceeded).
//
//   auto [ctx, cancel] = with_cancel(Context::background());
//   auto [tctx, stop] = with_timeout(ctx, 2s);
//   co_await select(recv_case(results, r), recv_case(tctx.done()));
//   cancel();   // tctx is cancelled too
//
// Cheap to copy (a shared reference). Thread-safe.
#include <memory>
#include <optional>
#include <utility>

#include "runtime/channel.h"
#include "runtime/clock.h"
#include "runtime/errors.h"

namespace cs {
class Engine;
}

namespace cs::rt {

class Context {
  public:
    // Never cancelled, no deadline; done() is the nil channel.
    static Context background() { return Context(); }

    Chan<Unit> done() const;
    Status err() const;
    std::optional<TimePoint> deadline() const;
    bool cancelled() const { return err() != Status::ok; }

    struct State;  // implementation detail, public for the factory functions

  private:
    friend class CancelFunc;
    friend std::pair<Context, class CancelFunc> with_cancel(const Context&);
    friend std::pair<Context, class CancelFunc> with_deadline(const Context&, TimePoint);
    Context() = default;
    explicit Context(std::shared_ptr<State> s) : m_state(std::move(s)) {}
    std::shared_ptr<State> m_state;
};

// Cancels the context it came with (and its descendants). Calling it again does nothing.
class CancelFunc {
  public:
    void operator()() const;

  private:
    friend std::pair<Context, CancelFunc> with_cancel(const Context&);
    friend std::pair<Context, CancelFunc> with_deadline(const Context&, TimePoint);
    explicit CancelFunc(std::shared_ptr<Context::State> s) : m_state(std::move(s)) {}
    std::shared_ptr<Context::State> m_state;
};

std::pair<Context, CancelFunc> with_cancel(const Context& parent);
// Cancelled at `deadline` of the engine's clock (or earlier, with the parent). Needs an engine.
std::pair<Context, CancelFunc> with_deadline(const Context& parent, TimePoint deadline);
std::pair<Context, CancelFunc> with_timeout(const Context& parent, Duration timeout);

}  // namespace cs::rt
