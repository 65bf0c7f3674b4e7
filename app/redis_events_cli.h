#pragma once
// `chanscope redis events`: keyspace events (set, del, expired, evicted, ...) of a live Redis as
// they arrive, one per line, as text or JSON. Notifications change the server's configuration,
// so they are turned on only with --enable-notifications, and the previous setting is put back
// on exit — after --count events, on Ctrl-C (SIGINT) or SIGTERM. Without the flag on a server
// whose notifications are off, it says so and how to turn them on, and exits 1.
//
//   chanscope redis events --url redis://127.0.0.1:6379 [--password-file F] [--count N]
//                          [--enable-notifications] [--report text|json]
//
// Exit status: 0 after listening, 1 when Redis cannot be reached or notifications are off,
// 2 bad input.
#include <iosfwd>
#include <string>
#include <vector>

namespace cs::app {

// `args` as for run_redis_command: args[0] "redis", args[1] "events". Throws UsageError and
// RedisError (the dispatcher reports them).
int run_redis_events(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// What SIGINT and SIGTERM do while events are listened to: end the listening, as if --count had
// been reached. Async-signal-safe.
void stop_redis_events() noexcept;

}  // namespace cs::app
