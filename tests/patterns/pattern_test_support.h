#pragma once
// Helpers shared by the pattern suites.
#include <string>

#include "../engine/test_support.h"

namespace cs::test {

// Live tasks whose name starts with `prefix` (the registry's view: what a leak would show).
inline size_t tasks_named(Engine& engine, const std::string& prefix) {
    size_t n = 0;
    auto snapshot = engine.snapshot();  // held: the loop must not outlive it
    for (const auto& t : snapshot->tasks) n += t.name.rfind(prefix, 0) == 0;
    return n;
}

}  // namespace cs::test
