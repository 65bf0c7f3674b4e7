#pragma once
// Task<T>: a lazily started coroutine that another coroutine awaits (`T v = co_await f();`).
// Awaiting runs it on the awaiting task, with symmetric transfer, so deep call chains of
// coroutines cost no thread stack. Spawning a concurrent task is `go(...)` (scheduler.h).
//
//   Task<int> answer() { co_return 42; }
//   Task<> caller() { int v = co_await answer(); }
//
// Not thread-safe by itself: a Task is owned by one awaiter. Exceptions thrown inside propagate
// to the awaiter.
#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

#include "runtime/frame_allocator.h"

namespace cs::rt {

template <class T = void>
class Task;

namespace detail {

struct TaskPromiseBase {
    static void* operator new(std::size_t size) { return frame_allocator::allocate(size); }
    static void operator delete(void* p, std::size_t size) noexcept {
        frame_allocator::deallocate(p, size);
    }

    std::coroutine_handle<> continuation;
    std::exception_ptr error;

    std::suspend_always initial_suspend() noexcept { return {}; }
    struct FinalAwaiter {
        bool await_ready() noexcept { return false; }
        template <class P>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
            return h.promise().continuation;
        }
        void await_resume() noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept { error = std::current_exception(); }
};

template <class T>
struct TaskPromise : TaskPromiseBase {
    std::optional<T> value;
    Task<T> get_return_object() noexcept;
    template <class U>
    void return_value(U&& v) {
        value.emplace(std::forward<U>(v));
    }
    T take() {
        if (error) std::rethrow_exception(error);
        return std::move(*value);
    }
};

template <>
struct TaskPromise<void> : TaskPromiseBase {
    Task<void> get_return_object() noexcept;
    void return_void() noexcept {}
    void take() {
        if (error) std::rethrow_exception(error);
    }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
  public:
    using promise_type = detail::TaskPromise<T>;
    using Handle = std::coroutine_handle<promise_type>;

    Task() = default;
    explicit Task(Handle h) noexcept : m_handle(h) {}
    Task(Task&& o) noexcept : m_handle(std::exchange(o.m_handle, {})) {}
    Task& operator=(Task&& o) noexcept {
        if (this != &o) {
            reset();
            m_handle = std::exchange(o.m_handle, {});
        }
        return *this;
    }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    ~Task() { reset(); }

    bool valid() const noexcept { return bool(m_handle); }

    auto operator co_await() && noexcept {
        struct Awaiter {
            Handle h;
            bool await_ready() noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
                h.promise().continuation = awaiting;
                return h;
            }
            T await_resume() { return h.promise().take(); }
        };
        return Awaiter{m_handle};
    }

  private:
    void reset() noexcept {
        if (m_handle) m_handle.destroy();
        m_handle = {};
    }
    Handle m_handle;
};

namespace detail {
template <class T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
    return Task<T>(std::coroutine_handle<TaskPromise<T>>::from_promise(*this));
}
inline Task<void> TaskPromise<void>::get_return_object() noexcept {
    return Task<void>(std::coroutine_handle<TaskPromise<void>>::from_promise(*this));
}
}  // namespace detail

}  // namespace cs::rt
