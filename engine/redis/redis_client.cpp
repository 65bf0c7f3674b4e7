#include "redis/redis_client.h"

#include "redis/redis_error.h"
#include "runtime/blocking.h"
#include "runtime/errors.h"

namespace cs::redis {

const char* to_string(HealthState s) noexcept {
    switch (s) {
        case HealthState::connecting: return "connecting";
        case HealthState::up: return "up";
        case HealthState::down: return "down";
    }
    return "?";
}

RedisClient::RedisClient(RedisUrl url, RedisClientOptions options)
    : m_url(std::move(url)), m_options(options), m_backoff(options.backoff) {}

RedisClient::~RedisClient() = default;

RedisClient::Pooled RedisClient::acquire() {
    {
        std::lock_guard lock(m_mu);
        if (m_state == HealthState::down && Clock::now() < m_retry_at) {
            auto wait = std::chrono::ceil<std::chrono::milliseconds>(m_retry_at - Clock::now());
            throw RedisError(RedisErrorKind::down,
                             "Redis at " + m_url.text() + " is down (" + m_last_error +
                                 "); next attempt in " + std::to_string(wait.count()) + " ms");
        }
        if (!m_idle.empty()) {
            Pooled c = std::move(m_idle.back());
            m_idle.pop_back();
            return c;
        }
    }
    return open_connection();
}

RedisClient::Pooled RedisClient::open_connection() {
    Pooled c;
    try {
        c.connection = RedisConnection::open(m_url, m_options.connect);
        mark_up();
    } catch (const RedisError& e) {
        mark_down(e);
        throw;
    }
    std::vector<Command> session;
    {
        std::lock_guard lock(m_mu);
        session = m_session;
        c.session = m_session_generation;
    }
    try {
        for (const Command& command : session) c.connection->command(command);
    } catch (const RedisError& e) {
        if (!e.connection_usable()) mark_down(e);
        throw;
    }
    return c;
}

void RedisClient::release(Pooled c) {
    std::lock_guard lock(m_mu);
    if (!c.connection->broken() && c.session == m_session_generation &&
        m_idle.size() < m_options.idle_connections)
        m_idle.push_back(std::move(c));
}

void RedisClient::set_session(std::vector<Command> commands) {
    std::vector<Pooled> retired;
    std::lock_guard lock(m_mu);
    m_session = std::move(commands);
    ++m_session_generation;
    retired.swap(m_idle);  // closed after the lock is released, when `retired` goes
}

void RedisClient::mark_up() {
    std::lock_guard lock(m_mu);
    if (m_was_down) ++m_reconnects;
    m_was_down = false;
    m_state = HealthState::up;
    m_backoff.reset();
}

void RedisClient::mark_down(const RedisError& e) {
    std::lock_guard lock(m_mu);
    ++m_failures;
    m_was_down = true;
    m_state = HealthState::down;
    m_last_error = e.what();
    m_idle.clear();  // they went to the same server: do not trust them
    m_jittered = m_backoff.next();
    m_retry_at = Clock::now() + m_jittered;
}

template <class Use>
auto RedisClient::with_connection(Use use) {
    Pooled c = acquire();
    try {
        auto result = use(*c.connection);
        release(std::move(c));
        return result;
    } catch (const RedisError& e) {
        if (e.connection_usable())
            release(std::move(c));
        else
            mark_down(e);
        throw;
    }
}

Reply RedisClient::command_blocking(const Command& args) {
    return with_connection([&](RedisConnection& c) { return c.command(args); });
}

std::vector<Reply> RedisClient::pipeline_blocking(const std::vector<Command>& commands) {
    return with_connection([&](RedisConnection& c) { return c.pipeline(commands); });
}

// The awaited results go through named locals: GCC 12 mishandles temporaries in co_return
// co_await expressions.
rt::Task<Reply> RedisClient::command(Command args) {
    Reply reply = co_await rt::blocking([this, &args] { return command_blocking(args); });
    co_return reply;
}

rt::Task<std::vector<Reply>> RedisClient::pipeline(std::vector<Command> commands) {
    std::vector<Reply> replies =
        co_await rt::blocking([this, &commands] { return pipeline_blocking(commands); });
    co_return replies;
}

Health RedisClient::health() const {
    std::lock_guard lock(m_mu);
    Health h;
    h.state = m_state;
    h.last_error = m_last_error;
    h.failures = m_failures;
    h.reconnects = m_reconnects;
    if (m_state == HealthState::down) h.backoff = m_jittered;
    if (m_state == HealthState::down && Clock::now() < m_retry_at)
        h.retry_in = std::chrono::ceil<std::chrono::milliseconds>(m_retry_at - Clock::now());
    return h;
}

rt::Task<Reply> RedisClient::command_for(std::string, Command args) {
    Reply reply = co_await command(std::move(args));
    co_return reply;
}

rt::Task<std::vector<Reply>> RedisClient::pipeline_for(std::vector<KeyedCommand> commands) {
    std::vector<Command> batch;
    batch.reserve(commands.size());
    for (KeyedCommand& c : commands) batch.push_back(std::move(c.args));
    std::vector<Reply> replies = co_await pipeline(std::move(batch));
    co_return replies;
}

}  // namespace cs::redis
