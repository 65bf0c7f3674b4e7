#pragma once
// Helpers shared by the UI suites.
#include <QCoreApplication>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "engine.h"
#include "telemetry/snapshot.h"

namespace cs::ui::test {

using namespace std::chrono_literals;

// Polls cond (processing Qt events meanwhile) until true or the timeout passes: a bound, not a
// timing assertion.
inline bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 10s) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (cond()) return true;
        QCoreApplication::processEvents();
        std::this_thread::sleep_for(1ms);
    }
    return cond();
}

// Takes snapshots until one satisfies pred (or the timeout passes); returns the last one.
inline std::shared_ptr<const telemetry::Snapshot> snapshot_when(
    Engine& engine, const std::function<bool(const telemetry::Snapshot&)>& pred,
    std::chrono::milliseconds timeout = 10s) {
    std::shared_ptr<const telemetry::Snapshot> s = engine.snapshot();
    eventually(
        [&] {
            s = engine.snapshot();
            return pred(*s);
        },
        timeout);
    return s;
}

inline bool all_blocked(const telemetry::Snapshot& s, size_t tasks) {
    return s.tasks.size() == tasks && s.count_in_state(rt::TaskState::blocked) == tasks;
}

}  // namespace cs::ui::test
