#pragma once
// `chanscope redis stat|events|bench` (events: redis_events_cli.h; bench: our client against
// redis-benchmark's workload shape).
//
// `chanscope redis stat`: a live Redis's numbers every interval, as text or one JSON object per
// line — ops/s, keyspace hits and misses, the hit rate (cumulative and over the last window),
// memory, evicted and expired keys, clients, PING latency percentiles. While Redis is down it
// says so each interval and keeps trying; it picks up again when Redis is back. No Qt.
//
//   chanscope redis stat --url redis://127.0.0.1:6379 [--password-file F] [--interval 1s]
//                        [--count N] [--report text|json]
//
// The password comes from the URL, --password-file or REDISCLI_AUTH and is never printed.
// Exit status: 0 when at least one sample was read, 1 when none could be, 2 bad input.
#include <iosfwd>
#include <string>
#include <vector>

namespace cs::app {

extern const char* const redis_usage;

// `args` without the program name: args[0] is "redis". Never throws.
int run_redis_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace cs::app
