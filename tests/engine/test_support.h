#pragma once
// Helpers shared by the engine suites: run a task to completion from the test thread.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>

#include "runtime/runtime.h"

namespace cs::test {

using namespace std::chrono_literals;
using rt::Chan;
using rt::Task;

// Spawns fn as a task and waits for it from the test thread; rethrows what it threw.
template <class F>
void run_task(Engine& engine, F fn, std::string name = "test") {
    engine.spawn(std::move(name), std::move(fn)).wait();
}

// Polls cond until true or the timeout passes (a bound, not a timing assertion).
inline bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 10s) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (cond()) return true;
        std::this_thread::sleep_for(1ms);
    }
    return cond();
}

}  // namespace cs::test
