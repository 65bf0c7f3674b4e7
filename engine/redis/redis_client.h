#pragma once
// RedisClient: what the rest of the engine uses to talk to one Redis server — a pool of
// connections, calls that tasks await (the blocking work runs on the engine's blocking pool, so a
// task parks instead of holding a worker), and a visible health: connecting, up, or down with
// the last error and when it retries. While down, calls fail at once with RedisError(down)
// instead of waiting on a dead server; after the backoff (exponential, with jitter) the next call
// tries to connect again, so the client comes back by itself when Redis does. Thread-safe.
//
//   RedisClient redis(parse_redis_url("redis://127.0.0.1:6379"));
//   Reply r = co_await redis.command({"GET", "user:1"});            // in a task
//   std::vector<Reply> rs = redis.pipeline_blocking({{"INCR", "a"}, {"INCR", "b"}});  // a thread
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "redis/backoff.h"
#include "redis/redis_connection.h"
#include "redis/redis_error.h"
#include "redis/redis_router.h"
#include "runtime/task.h"

namespace cs::redis {

struct RedisClientOptions {
    ConnectOptions connect{};
    size_t idle_connections = 8;  // connections kept open between calls (more may be open at once)
    BackoffOptions backoff{};     // between attempts to reach a server that is down
};

enum class HealthState { connecting, up, down };
const char* to_string(HealthState s) noexcept;

struct Health {
    HealthState state = HealthState::connecting;
    std::string last_error;  // of the last failure (password-free), empty if none yet
    std::chrono::milliseconds retry_in{0};  // down: how long until the next attempt
    std::chrono::milliseconds backoff{0};   // down: the wait chosen after the last failure
    uint64_t failures = 0;    // connection-level failures so far
    uint64_t reconnects = 0;  // times it came back up after being down
};

// One server's health among several (a ring's, a cluster's), by its name ("host:port").
struct NodeHealth {
    std::string node;
    Health health;
};

class RedisClient final : public RedisRouter {
  public:
    explicit RedisClient(RedisUrl url, RedisClientOptions options = {});
    ~RedisClient() override;
    RedisClient(const RedisClient&) = delete;
    RedisClient& operator=(const RedisClient&) = delete;

    // In a task: parks until the reply. Throws RedisError (down while Redis is known down).
    rt::Task<Reply> command(Command args);
    rt::Task<std::vector<Reply>> pipeline(std::vector<Command> commands);
    // From an ordinary thread (a CLI, a test): the same calls, blocking the thread.
    Reply command_blocking(const Command& args);
    std::vector<Reply> pipeline_blocking(const std::vector<Command>& commands);

    // RedisRouter: every key lives on this one server.
    rt::Task<Reply> command_for(std::string key, Command args) override;
    rt::Task<std::vector<Reply>> pipeline_for(std::vector<KeyedCommand> commands) override;
    Reply command_for_blocking(const std::string&, const Command& args) override {
        return command_blocking(args);
    }
    std::vector<RedisUrl> nodes() const override { return {m_url}; }

    // Commands every connection runs once opened (after AUTH and SELECT), such as CLIENT
    // TRACKING for a near cache. Setting them closes the idle connections and retires those in
    // use when they come back, so that every call from now on runs on a connection that ran
    // these. A failing session command fails the call that opened the connection.
    void set_session(std::vector<Command> commands);

    Health health() const;
    const RedisUrl& url() const noexcept { return m_url; }

  private:
    using Clock = std::chrono::steady_clock;
    struct Pooled {
        std::unique_ptr<RedisConnection> connection;
        uint64_t session = 0;  // the session generation it ran
    };
    Pooled acquire();
    Pooled open_connection();
    void release(Pooled c);
    // Runs `use` on a connection; a connection-level failure marks the client down.
    template <class Use>
    auto with_connection(Use use);
    void mark_down(const RedisError& e);
    void mark_up();

    const RedisUrl m_url;
    const RedisClientOptions m_options;
    mutable std::mutex m_mu;
    std::vector<Pooled> m_idle;
    std::vector<Command> m_session;
    uint64_t m_session_generation = 0;
    HealthState m_state = HealthState::connecting;
    std::string m_last_error;
    Clock::time_point m_retry_at{};
    Backoff m_backoff;
    std::chrono::milliseconds m_jittered{0};
    uint64_t m_failures = 0, m_reconnects = 0;
    bool m_was_down = false;
};

}  // namespace cs::redis
