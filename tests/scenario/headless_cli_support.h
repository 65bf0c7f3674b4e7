#pragma once
// Runs a headless subcommand as the binary would (through the dispatcher), capturing its exit
// status and both streams — shared by the headless CLI suites.
#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "headless_cli.h"

namespace cs::test {

struct Result {
    int status;
    std::string out, err;
};

inline Result chanscope(std::vector<std::string> args) {
    std::ostringstream out, err;
    std::optional<int> status =
        app::run_headless_command(args, out, err, /*progress_to_terminal=*/false);
    EXPECT_TRUE(status.has_value());
    return {status.value_or(-1), out.str(), err.str()};
}

// The lines of a subcommand's output.
inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace cs::test
