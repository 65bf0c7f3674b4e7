#include "redis/redis_client.h"

#include <algorithm>
#include <cmath>

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
    : m_url(std::move(url)), m_options(options) {
    if (m_options.backoff_first <= std::chrono::milliseconds(0))
        rt::throw_out_of_range("Redis backoff (ms)", m_options.backoff_first.count(), "> 0");
    if (m_options.backoff_max < m_options.backoff_first)
        rt::throw_out_of_range("Redis longest backoff (ms)", m_options.backoff_max.count(),
                               ">= the first backoff");
    if (m_options.jitter < 0 || m_options.jitter >= 1)
        throw rt::InvalidArgument("Redis backoff jitter: " + std::to_string(m_options.jitter) +
                                  " is out of range (allowed: 0 .. less than 1)");
}

RedisClient::~RedisClient() = default;

std::unique_ptr<RedisConnection> RedisClient::acquire() {
    {
        std::lock_guard lock(m_mu);
        if (m_state == HealthState::down && Clock::now() < m_retry_at) {
            auto wait = std::chrono::ceil<std::chrono::milliseconds>(m_retry_at - Clock::now());
            throw RedisError(RedisErrorKind::down,
                             "Redis at " + m_url.text() + " is down (" + m_last_error +
                                 "); next attempt in " + std::to_string(wait.count()) + " ms");
        }
        if (!m_idle.empty()) {
            auto c = std::move(m_idle.back());
            m_idle.pop_back();
            return c;
        }
    }
    try {
        auto c = RedisConnection::open(m_url, m_options.connect);
        mark_up();
        return c;
    } catch (const RedisError& e) {
        mark_down(e);
        throw;
    }
}

void RedisClient::release(std::unique_ptr<RedisConnection> c) {
    std::lock_guard lock(m_mu);
    if (!c->broken() && m_idle.size() < m_options.idle_connections) m_idle.push_back(std::move(c));
}

void RedisClient::mark_up() {
    std::lock_guard lock(m_mu);
    if (m_was_down) ++m_reconnects;
    m_was_down = false;
    m_state = HealthState::up;
    m_backoff = std::chrono::milliseconds(0);
}

void RedisClient::mark_down(const RedisError& e) {
    std::lock_guard lock(m_mu);
    ++m_failures;
    m_was_down = true;
    m_state = HealthState::down;
    m_last_error = e.what();
    m_idle.clear();  // they went to the same server: do not trust them
    m_backoff = m_backoff.count() == 0 ? m_options.backoff_first
                                       : std::min(m_backoff * 2, m_options.backoff_max);
    std::uniform_real_distribution<double> scale(1 - m_options.jitter, 1 + m_options.jitter);
    m_jittered = std::chrono::milliseconds(
        std::llround(double(m_backoff.count()) * scale(m_rng)));
    m_retry_at = Clock::now() + m_jittered;
}

template <class Use>
auto RedisClient::with_connection(Use use) {
    std::unique_ptr<RedisConnection> c = acquire();
    try {
        auto result = use(*c);
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
