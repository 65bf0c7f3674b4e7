#pragma once
// `chanscope cachesim`: the hit-ratio simulator. Replays a key trace — a file, or one of the
// built-in generators — through LRU, LFU, W-TinyLFU, S3-FIFO and Belady's optimum (OPT, the
// upper bound no policy can pass) at one capacity, and prints each one's hits and hit ratio. No Qt.
//
//   chanscope cachesim --trace FILE --capacity N [--policy lru|lfu|wtinylfu|s3fifo|opt|all]
//                      [--report text|json]
//   chanscope cachesim --generate zipf|scan|loop|zipf+scan|zipf+loop --capacity N
//                      [--keys 100000] [--requests 1000000] [--skew 0.9] [--seed 1] ...
//
// A trace file holds one key per line, or ARC lines "start count ignored ignored"
// (cache/trace_file.h). Exit status: 0 done, 2 bad input (a usage error, a trace that cannot
// be read or is empty: the message says what and where), 1 anything else (out of memory).
#include <iosfwd>
#include <string>
#include <vector>

namespace cs::app {

// The synopsis lines, without the leading "usage: " (continuation lines are indented to
// follow it), for the headless usage text.
extern const char* const cachesim_usage;

// `args` without the program name: args[0] is "cachesim". Never throws.
int run_cachesim_command(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

}  // namespace cs::app
