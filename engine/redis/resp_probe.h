#pragma once
// A minimal blocking RESP client on plain sockets, no hiredis: RedisServerProcess uses it to tell
// when a server is up (PING) and a cluster is ready (CLUSTER INFO), and tests use it to look at a
// server without going through the client under test. Not for the engine's traffic: one
// short-lived connection per call, everything bounded by a deadline.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace cs::redis {

struct RespReply {
    enum class Type { simple, error, integer, bulk, nil, array };
    Type type = Type::nil;
    std::string str;                  // simple, error and bulk replies
    long long integer = 0;            // integer replies
    std::vector<RespReply> elements;  // array replies

    bool is_error() const noexcept { return type == Type::error; }
    bool is_ok() const noexcept { return type == Type::simple && str == "OK"; }
};

// Connects to host:port, sends each command (RESP arrays of bulk strings) on one connection and
// reads one reply per command. Returns nullopt if the connection is refused, the deadline passes
// or a reply is malformed. Server errors ("-NOAUTH ...") are replies, not failures.
std::optional<std::vector<RespReply>> redis_exchange(
    const std::string& host, int port, const std::vector<std::vector<std::string>>& commands,
    std::chrono::milliseconds timeout = std::chrono::seconds(2));

// One command on 127.0.0.1:port.
std::optional<RespReply> redis_command(int port, const std::vector<std::string>& command,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(2));

// True if a TCP connect to host:port (numeric IPv4 or IPv6) succeeds within the timeout.
bool tcp_port_accepts(const std::string& host, int port,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(500));

}  // namespace cs::redis
