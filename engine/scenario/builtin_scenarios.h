#pragma once
// The scenario library in resources/scenarios/, built into the binary so that `chanscope run
// worker_pool` works from anywhere.
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.h"

namespace cs::scenario {

struct BuiltinScenario {
    std::string_view name;  // the file's name without .json
    std::string_view text;
};

const std::vector<BuiltinScenario>& builtin_scenarios();  // sorted by name

// A path to a scenario file, or the name of a built-in scenario. Throws ScenarioError.
Scenario load_scenario(const std::string& file_or_name);

}  // namespace cs::scenario
