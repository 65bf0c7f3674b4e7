#pragma once
// Reading and validating scenario files. A file that is not valid JSON, or that breaks a rule
// of the format (an unknown field, a wrong type, a value out of range, a `to` naming no node, a
// cycle...), is refused as a whole with one ScenarioError naming the file, the line and column,
// the JSON path and what would be accepted:
//
//   pool.json:12:18: $.nodes[1].workers: -3 is out of range (allowed: 1 .. 256)
//
// The format is described in resources/scenarios/README.md.
#include <stdexcept>
#include <string>
#include <string_view>

#include "scenario/scenario.h"

namespace cs::scenario {

class ScenarioError : public std::runtime_error {
  public:
    ScenarioError(std::string file, int line, int column, std::string path, std::string message);

    const std::string& file() const noexcept { return m_file; }
    int line() const noexcept { return m_line; }  // 0: not about a place in the file
    int column() const noexcept { return m_column; }
    const std::string& path() const noexcept { return m_path; }  // "$.nodes[1].workers"
    const std::string& message() const noexcept { return m_message; }

  private:
    std::string m_file, m_path, m_message;
    int m_line, m_column;
};

// `file_name` is used in messages only.
Scenario parse_scenario(std::string_view text, const std::string& file_name);
Scenario load_scenario_file(const std::string& path);

}  // namespace cs::scenario
