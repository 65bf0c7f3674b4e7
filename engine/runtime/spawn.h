#pragma once
// Spawning tasks. A task's root coroutine owns the callable (and so its captures) and the task's
// TaskControl, then awaits the callable's Task<>. `go` fires and forgets, as in Go; `spawn`
// returns a JoinHandle to await the task's end (and rethrow what it threw).
//
//   engine.go("producer", [ch]() -> Task<> { co_await ch.send(1); });
//   JoinHandle h = engine.spawn("worker", [&]() -> Task<> { ... });
//   co_await h.join();   // from a task
//   h.wait();            // from an ordinary thread
#include <concepts>
#include <coroutine>
#include <functional>
#include <utility>

#include "runtime/park.h"
#include "runtime/task.h"
#include "runtime/task_control.h"

namespace cs::rt {

namespace detail {

struct RootPromise;

struct RootTask {
    using promise_type = RootPromise;
    std::coroutine_handle<RootPromise> handle;
};

struct RootPromise {
    static void* operator new(std::size_t size) { return frame_allocator::allocate(size); }
    static void operator delete(void* p, std::size_t size) noexcept {
        frame_allocator::deallocate(p, size);
    }

    TaskControl control;

    RootTask get_return_object() noexcept {
        control.root = std::coroutine_handle<RootPromise>::from_promise(*this);
        return RootTask{std::coroutine_handle<RootPromise>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
        bool await_ready() noexcept { return false; }
        void await_suspend(std::coroutine_handle<RootPromise> h) noexcept {
            TaskControl& g = h.promise().control;
            TaskOutcome outcome = g.sched->on_task_finished(&g);
            h.destroy();
            outcome.deliver();
        }
        void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { control.error = std::current_exception(); }
};

template <class F>
RootTask run_root(F f) {
    co_await std::invoke(f);
}

inline RootTask run_root_task(Task<> t) {
    co_await std::move(t);
}

}  // namespace detail

// A reference to a spawned task's outcome: whether it finished, and a way to wait for it.
// Valid after the task ended and after its engine stopped (a task cut short by the engine's
// destruction counts as finished with an error).
class JoinHandle {
  public:
    JoinHandle() = default;
    // Takes over the reference the completion was created with.
    explicit JoinHandle(Completion* c) noexcept : m_c(c) {}
    JoinHandle(const JoinHandle& o) noexcept : m_c(o.m_c) {
        if (m_c) m_c->refs.fetch_add(1, std::memory_order_relaxed);
    }
    JoinHandle(JoinHandle&& o) noexcept : m_c(std::exchange(o.m_c, nullptr)) {}
    JoinHandle& operator=(JoinHandle o) noexcept {
        std::swap(m_c, o.m_c);
        return *this;
    }
    ~JoinHandle() {
        if (m_c) m_c->release();
    }

    bool valid() const noexcept { return m_c != nullptr; }
    uint64_t id() const noexcept { return m_c ? m_c->task_id : 0; }
    bool done() const;

    // From a task: parks until the task ends; rethrows what it threw.
    auto join() {
        struct Awaiter {
            Completion* c;
            Parker parker{};
            WaitNode node{};
            bool await_ready() { return is_done(c); }
            bool await_suspend(std::coroutine_handle<> h) {
                TaskControl* self = require_task("JoinHandle::join");
                std::lock_guard lock(c->mu);
                if (c->finished) return false;
                parker.task = self;
                node.parker = &parker;
                park_current(self, h, WaitReason::join, 0);
                c->joiners.push_back(&node);
                return true;
            }
            void await_resume() {
                if (c->error) std::rethrow_exception(c->error);
            }
            ~Awaiter() {
                if (node.queued) {
                    std::lock_guard lock(c->mu);
                    c->joiners.remove(&node);
                }
            }
        };
        return Awaiter{m_c};
    }

    // From an ordinary thread: blocks until the task ends; rethrows what it threw.
    void wait();

  private:
    static bool is_done(Completion* c);
    Completion* m_c = nullptr;
};

}  // namespace cs::rt
