#include "scenario/builtin_scenarios.h"

#include <filesystem>

#include "scenario/scenario_loader.h"

namespace cs::scenario {

Scenario load_scenario(const std::string& file_or_name) {
    std::error_code ec;
    if (std::filesystem::exists(file_or_name, ec) || file_or_name.find('/') != std::string::npos ||
        file_or_name.ends_with(".json"))
        return load_scenario_file(file_or_name);
    std::string names;
    for (const BuiltinScenario& b : builtin_scenarios()) {
        if (b.name == file_or_name) return parse_scenario(b.text, "builtin:" + file_or_name);
        names += (names.empty() ? "" : ", ") + std::string(b.name);
    }
    throw ScenarioError(
        file_or_name, 0, 0, "",
        "no such file, and no built-in scenario of that name (built-in: " + names + ")");
}

}  // namespace cs::scenario
