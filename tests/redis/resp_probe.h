#pragma once
// The suites' names for the engine's plain-socket RESP probe (redis/resp_probe.h).
#include "redis/resp_probe.h"

namespace cs::test {

using redis::redis_command;
using redis::redis_exchange;
using redis::RespReply;
using redis::tcp_port_accepts;

}  // namespace cs::test
