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

}  // namespace cs::test
