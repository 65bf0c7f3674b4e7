#pragma once
// RedisConnection: one blocking connection to a Redis server — connect with a timeout, log in
// (AUTH with an ACL user or a password alone), select the database, send a command or a
// pipeline (many commands, one round trip). Every failure is a RedisError of a kind a caller can
// act on, with a message that names the server (password redacted) and what to check. hiredis
// does the protocol; its headers stay inside this file's .cpp.
//
// Not thread-safe. Its calls block the calling thread: tasks reach it through the engine's
// blocking pool (or a client that does that for them), never directly.
//
//   auto conn = RedisConnection::open(parse_redis_url("redis://127.0.0.1:6379"));
//   conn->command({"SET", "k", "v"});
//   std::vector<Reply> r = conn->pipeline({{"GET", "k"}, {"INCR", "n"}});
#include <chrono>
#include <memory>
#include <vector>

#include "redis/redis_reply.h"
#include "redis/redis_url.h"
#include "runtime/clock.h"

namespace cs::redis {

struct ConnectOptions {
    rt::Duration connect_timeout = std::chrono::seconds(2);  // > 0
    rt::Duration command_timeout = std::chrono::seconds(2);  // > 0: a reply later than this fails
};

class RedisConnection {
  public:
    // Connects, logs in and selects the URL's database. Throws RedisError: unknown_host,
    // connection_refused, timeout, auth_failed, io.
    static std::unique_ptr<RedisConnection> open(const RedisUrl& url, ConnectOptions options = {});
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    // One command. An error reply throws RedisError(reply_error, or auth_failed for NOAUTH and
    // WRONGPASS) carrying the server's text; the connection stays usable. A broken connection
    // throws io, timeout or protocol and is broken() from then on.
    Reply command(const Command& args);
    // The commands sent together and their replies read together, in order. Error replies come
    // back as Reply::Type::error, not thrown: one failing command does not hide the others'.
    std::vector<Reply> pipeline(const std::vector<Command>& commands);

    // Push mode, for a subscriber: the server sends messages unasked. send() writes a command
    // without waiting for its reply; receive() waits up to `wait` for bytes from the server (or
    // for `wake_fd` to become readable, so another thread can cut the wait short) and returns
    // every complete reply that has arrived, possibly none. A closed or failed connection throws
    // io and is broken() from then on.
    void send(const Command& args);
    std::vector<Reply> receive(std::chrono::milliseconds wait, int wake_fd = -1);

    // For one thread driving many connections (an event loop, as redis-benchmark runs): send()
    // many commands in one write, poll() every socket() for reading, and read_ready() on those
    // that are: one read from the socket and every reply now complete, possibly none. A closed
    // or failed connection throws io and is broken() from then on.
    void send(const std::vector<Command>& commands);
    int socket() const noexcept;
    std::vector<Reply> read_ready();

    // An I/O error, a timeout or a protocol error left the connection unusable: open a new one.
    bool broken() const noexcept;
    const RedisUrl& url() const noexcept;

  private:
    struct Impl;
    explicit RedisConnection(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m;
};

}  // namespace cs::redis
