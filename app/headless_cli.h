#pragma once
// The headless subcommands: run a scenario without a display and report on it, check a
// scenario file, list the built-in ones, replay a key trace through the eviction policies
// (cachesim_cli.h). No Qt: they work on a machine without a display.
//
//   chanscope run FILE|NAME [--duration 10s] [--speed 1.0] [--seed N] [--report text|json]
//                           [--trace out.json]
//   chanscope validate FILE|NAME
//   chanscope list
//   chanscope cachesim --trace FILE --capacity N [--policy lru|lfu|wtinylfu|s3fifo|opt|all]
//                      [--report text|json]
//   chanscope cachesim --generate zipf|scan|loop|zipf+scan|zipf+loop --capacity N ...
//
// Exit status: 0 done, 1 the run failed (a task threw, it would not stop, the trace could not
// be written), 2 bad input (a usage error, a bad scenario or trace file; the message says where).
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace cs::app {

// `args` without the program name. nullopt if args[0] is not a headless subcommand.
std::optional<int> run_headless_command(const std::vector<std::string>& args, std::ostream& out,
                                        std::ostream& err, bool progress_to_terminal);

bool is_headless_command(const std::string& arg);

}  // namespace cs::app
