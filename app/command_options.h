#pragma once
// The options of a headless subcommand (`chanscope run FILE --speed 2`): `--name value` or
// `--name=value`, checked against the names the subcommand knows, plus at most one positional
// argument. Shared by run, validate, list and cachesim.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cs::app {

// A command line the subcommand cannot accept; the message says why. Exit status 2.
struct UsageError {
    std::string message;
};

// Options in args[from ..], by name without the dashes. The one argument that is not an option
// goes to `positional`. Throws UsageError on an unknown option (listing the known ones), an
// option without its value, or a second positional argument.
std::map<std::string, std::string> parse_command_options(const std::vector<std::string>& args,
                                                         size_t from,
                                                         const std::vector<std::string>& known,
                                                         std::string& positional);

// The value of an option as a whole number in lo .. hi. `option` is spelled as the user wrote it
// ("--capacity", "-c"); `allowed` is the range as the message shows it. Throws UsageError.
uint64_t parse_whole(const std::string& option, const std::string& text, uint64_t lo, uint64_t hi,
                     const std::string& allowed);

}  // namespace cs::app
