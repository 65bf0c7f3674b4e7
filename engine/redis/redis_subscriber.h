#pragma once
// RedisSubscriber: a connection that listens. It SUBSCRIBEs to channels and PSUBSCRIBEs to
// patterns on its own thread and hands every message to a callback. When the connection drops
// it says so — whoever trusted the stream must assume messages were missed (a near cache flushes
// its L1) — and reconnects with backoff; after every (re)connection it reports its CLIENT ID,
// which CLIENT TRACKING ... REDIRECT needs. While idle it PINGs, so a server that stops
// answering without closing the socket is noticed too.
//
//   RedisSubscriber sub(url, {.channels = {"__redis__:invalidate"}},
//                       {.on_message = [](const PubSubMessage& m) { ... },
//                        .on_connected = [](long long id) { ... },
//                        .on_lost = [](const std::string& why) { ... }});
//
// Callbacks run on the subscriber's thread, one at a time; they must not destroy it.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "redis/backoff.h"
#include "redis/redis_connection.h"

namespace cs::redis {

struct PubSubMessage {
    std::string channel;
    std::string pattern;  // the PSUBSCRIBE pattern it matched; empty for a channel
    Reply payload;        // a string, or what the server sent (an array of keys, nil...)
};

struct Subscriptions {
    std::vector<std::string> channels{};
    std::vector<std::string> patterns{};
};

struct SubscriberHandlers {
    std::function<void(const PubSubMessage&)> on_message{};
    std::function<void(long long client_id)> on_connected{};  // subscribed, before any message
    std::function<void(const std::string& why)> on_lost{};    // the stream broke (or stopped)
};

struct SubscriberOptions {
    ConnectOptions connect{};
    std::chrono::milliseconds ping_every{1000};  // while nothing arrives; > 0
    BackoffOptions backoff{.first = std::chrono::milliseconds(50),
                           .max = std::chrono::milliseconds(2000),
                           .jitter = 0.2};
};

class RedisSubscriber {
  public:
    // Starts listening at once (connecting in the background). Throws rt::InvalidArgument when
    // there is nothing to subscribe to or an option is out of range.
    RedisSubscriber(RedisUrl url, Subscriptions subscriptions, SubscriberHandlers handlers,
                    SubscriberOptions options = {});
    ~RedisSubscriber();  // stops the thread (on_lost is not called for a stop)
    RedisSubscriber(const RedisSubscriber&) = delete;
    RedisSubscriber& operator=(const RedisSubscriber&) = delete;

    bool connected() const noexcept { return m_connected.load(); }
    uint64_t messages() const noexcept { return m_messages.load(); }
    uint64_t losses() const noexcept { return m_losses.load(); }  // times the stream broke
    std::string last_error() const;

  private:
    void run();
    // One connection's life: connects, subscribes, delivers until it breaks or stop.
    void listen();
    void wait_before_retry(std::chrono::milliseconds wait);
    bool stopping() const noexcept { return m_stop.load(); }

    const RedisUrl m_url;
    const Subscriptions m_subscriptions;
    const SubscriberHandlers m_handlers;
    const SubscriberOptions m_options;
    Backoff m_backoff;
    int m_wake_fd = -1;  // an eventfd: the destructor cuts waits short
    std::atomic<bool> m_stop{false}, m_connected{false};
    std::atomic<uint64_t> m_messages{0}, m_losses{0};
    mutable std::mutex m_mu;
    std::string m_last_error;
    std::thread m_thread;
};

}  // namespace cs::redis
