#pragma once
// blocking(fn): run a call that cannot park on the engine's blocking pool; the awaiting task
// parks (state: blocked on I/O) and resumes with fn's result or exception.
//
//   int rows = co_await blocking([&] { return db.count_rows(); });
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "engine.h"
#include "runtime/park.h"

namespace cs::rt {

template <class F>
auto blocking(F fn) {
    using R = std::invoke_result_t<F&>;
    struct Awaiter {
        F fn;
        Parker parker;
        std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> result{};
        std::exception_ptr error;

        bool await_ready() noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) {
            TaskControl* g = require_task("blocking");
            parker.task = g;
            park_current(g, h, WaitReason::io, 0);
            g->sched->engine().blocking_pool().submit([this] {
                try {
                    if constexpr (std::is_void_v<R>)
                        fn();
                    else
                        result.emplace(fn());
                } catch (...) {
                    error = std::current_exception();
                }
                wake(parker, 0, nullptr);
            });
        }
        R await_resume() {
            if (error) std::rethrow_exception(error);
            if constexpr (!std::is_void_v<R>) return std::move(*result);
        }
    };
    return Awaiter{std::move(fn), {}, {}, {}};
}

}  // namespace cs::rt
