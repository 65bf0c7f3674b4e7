#include "redis/redis_subscriber.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "redis/redis_error.h"
#include "runtime/errors.h"

namespace cs::redis {

namespace {

using Clock = std::chrono::steady_clock;

bool is_kind(const Reply& r, const char* kind) {
    return r.type == Reply::Type::array && !r.elements.empty() && r.elements[0].str == kind;
}

}  // namespace

RedisSubscriber::RedisSubscriber(RedisUrl url, Subscriptions subscriptions,
                                 SubscriberHandlers handlers, SubscriberOptions options)
    : m_url(std::move(url)),
      m_subscriptions(std::move(subscriptions)),
      m_handlers(std::move(handlers)),
      m_options(options),
      m_backoff(options.backoff) {
    if (m_subscriptions.channels.empty() && m_subscriptions.patterns.empty())
        throw rt::InvalidArgument("Redis subscriber: no channel or pattern to subscribe to");
    if (m_options.ping_every <= std::chrono::milliseconds(0))
        rt::throw_out_of_range("Redis subscriber ping interval (ms)", m_options.ping_every.count(),
                               "> 0");
    m_wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_wake_fd < 0)
        throw RedisError(RedisErrorKind::io, std::string("eventfd: ") + std::strerror(errno));
    m_thread = std::thread([this] { run(); });
}

RedisSubscriber::~RedisSubscriber() {
    m_stop = true;
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(m_wake_fd, &one, sizeof one);
    m_thread.join();
    ::close(m_wake_fd);
}

std::string RedisSubscriber::last_error() const {
    std::lock_guard lock(m_mu);
    return m_last_error;
}

void RedisSubscriber::run() {
    while (!stopping()) {
        try {
            listen();
        } catch (const RedisError& e) {
            {
                std::lock_guard lock(m_mu);
                m_last_error = e.what();
            }
            bool was_connected = m_connected.exchange(false);
            if (stopping()) break;
            if (was_connected) {
                ++m_losses;
                if (m_handlers.on_lost) m_handlers.on_lost(e.what());
            }
        }
        wait_before_retry(m_backoff.next());
    }
    m_connected = false;
}

void RedisSubscriber::wait_before_retry(std::chrono::milliseconds wait) {
    pollfd wake{m_wake_fd, POLLIN, 0};
    auto until = Clock::now() + wait;
    while (!stopping() && Clock::now() < until) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
        ::poll(&wake, 1, int(left.count()));
    }
}

void RedisSubscriber::listen() {
    auto connection = RedisConnection::open(m_url, m_options.connect);
    long long id = connection->command({"CLIENT", "ID"}).integer;
    size_t confirmations = 0;
    if (!m_subscriptions.channels.empty()) {
        Command subscribe{"SUBSCRIBE"};
        subscribe.insert(subscribe.end(), m_subscriptions.channels.begin(),
                         m_subscriptions.channels.end());
        connection->send(subscribe);
    }
    if (!m_subscriptions.patterns.empty()) {
        Command psubscribe{"PSUBSCRIBE"};
        psubscribe.insert(psubscribe.end(), m_subscriptions.patterns.begin(),
                          m_subscriptions.patterns.end());
        connection->send(psubscribe);
    }
    const size_t expected = m_subscriptions.channels.size() + m_subscriptions.patterns.size();
    auto timeout = std::chrono::ceil<std::chrono::milliseconds>(m_options.connect.command_timeout);
    auto last_heard = Clock::now();
    bool ping_outstanding = false;

    while (!stopping()) {
        std::vector<Reply> replies = connection->receive(m_options.ping_every, m_wake_fd);
        if (stopping()) return;
        auto now = Clock::now();
        if (replies.empty()) {
            if (confirmations < expected && now - last_heard > timeout)
                throw RedisError(RedisErrorKind::timeout, "Redis at " + m_url.text() +
                                                              ": no reply to SUBSCRIBE");
            if (ping_outstanding && now - last_heard > timeout)
                throw RedisError(RedisErrorKind::timeout,
                                 "Redis at " + m_url.text() + ": no reply to PING for " +
                                     std::to_string(timeout.count()) + " ms");
            if (!ping_outstanding && confirmations == expected &&
                now - last_heard >= m_options.ping_every) {
                connection->send({"PING"});
                ping_outstanding = true;
            }
            continue;
        }
        last_heard = now;
        ping_outstanding = false;
        for (Reply& r : replies) {
            if (is_kind(r, "subscribe") || is_kind(r, "psubscribe")) {
                if (++confirmations == expected) {
                    m_connected = true;
                    m_backoff.reset();
                    if (m_handlers.on_connected) m_handlers.on_connected(id);
                }
            } else if (is_kind(r, "message") && r.elements.size() == 3) {
                ++m_messages;
                PubSubMessage m{std::move(r.elements[1].str), "", std::move(r.elements[2])};
                if (m_handlers.on_message) m_handlers.on_message(m);
            } else if (is_kind(r, "pmessage") && r.elements.size() == 4) {
                ++m_messages;
                PubSubMessage m{std::move(r.elements[2].str), std::move(r.elements[1].str),
                                std::move(r.elements[3])};
                if (m_handlers.on_message) m_handlers.on_message(m);
            } else if (r.is_error()) {
                throw RedisError(RedisErrorKind::reply_error,
                                 "Redis at " + m_url.text() + ": " + r.str);
            }
        }
    }
}

}  // namespace cs::redis
