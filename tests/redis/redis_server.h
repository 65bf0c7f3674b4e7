#pragma once
// The suites' names for the engine's redis-server processes (redis/redis_server_process.h), and
// the skip for a machine without redis-server: put CS_SKIP_WITHOUT_REDIS_SERVER(); first in a
// test body (scripts/deps.sh installs redis-server, so CI always runs these tests).
#include "redis/redis_server_process.h"

namespace cs::test {

using RedisServer = redis::RedisServerProcess;
using RedisServerOptions = redis::RedisServerProcessOptions;
using redis::free_loopback_port;
using redis::RedisCluster;
namespace detail {
using redis::detail::set_port_picker_for_testing;
}

}  // namespace cs::test

#define CS_SKIP_WITHOUT_REDIS_SERVER()                                         \
    do {                                                                       \
        if (!::cs::test::RedisServer::available())                             \
            GTEST_SKIP() << "redis-server is not installed (scripts/deps.sh)"; \
    } while (0)
