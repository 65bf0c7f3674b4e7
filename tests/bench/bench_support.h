#pragma once
// Shared by the benchmark files: one engine per benchmark, telemetry on (the product's default)
// unless the benchmark is a *_NoTelemetry twin, which measures what telemetry costs.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "runtime/runtime.h"

namespace cs::bench {

using rt::Chan;
using rt::Task;

inline EngineOptions options(telemetry::Level level = telemetry::Level::on) {
    EngineOptions o;
    o.telemetry.level = level;
    if (const char* w = std::getenv("CHANSCOPE_BENCH_WORKERS")) o.workers = std::atoi(w);
    return o;
}

// Runs fn as a task and blocks the benchmark thread until it ends.
template <class F>
void run(Engine& engine, F fn) {
    engine.spawn("bench", std::move(fn)).wait();
}

}  // namespace cs::bench
