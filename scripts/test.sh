#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite:
#   1. the runtime, pattern, scenario, cache and Redis suites under ThreadSanitizer (tsan preset;
#      the Redis suites start real redis-server processes, installed by deps.sh),
#   2. the benchmarks once, briefly, as a smoke run (release preset; numbers are not asserted),
#   3. every suite (engine, UI, GUI smoke under Xvfb) in the debug preset — its summary is last.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/deps.sh
chanscope_install_deps

jobs="$(nproc)"
export CTEST_OUTPUT_ON_FAILURE=1
export QT_QPA_PLATFORM=offscreen

echo "== ThreadSanitizer: runtime, pattern, scenario, cache and Redis suites"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --test-dir build/tsan -L "runtime|patterns|scenario|cache|redis" -j "$jobs" --timeout 600

echo "== Benchmarks: one short smoke run"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs" --target chanscope_bench
build/release/tests/bench/chanscope_bench --benchmark_min_time=0.01 --benchmark_repetitions=1 >/dev/null

echo "== All suites (debug)"
cmake --preset debug >/dev/null
cmake --build --preset debug -j "$jobs"
ctest --test-dir build/debug -j "$jobs" --timeout 600
