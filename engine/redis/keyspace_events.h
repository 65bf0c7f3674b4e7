#pragma once
// Keyspace notifications: what happens to keys on a live Redis (set, del, expired, evicted...),
// streamed as events. The server sends them only when its notify-keyspace-events setting asks
// for them, and changing that setting changes the server for every client: so the monitor
// turns them on only when the user asks, and KeyspaceNotifications puts back exactly what was
// there before when it ends.
//
//   KeyspaceNotifications on(client);          // only on --enable-notifications
//   KeyspaceEventStream events(url, [](const KeyspaceEvent& e) { print(e.event, e.key); });
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "redis/redis_client.h"
#include "redis/redis_subscriber.h"

namespace cs::redis {

struct KeyspaceEvent {
    std::chrono::system_clock::time_point time;  // when it arrived
    int db = 0;
    std::string event;  // "set", "del", "expired", "evicted", "expire", ...
    std::string key;
};

// A message on __keyevent@<db>__:<event> as an event; nullopt for any other message.
std::optional<KeyspaceEvent> parse_keyevent(const PubSubMessage& m);

std::string keyevent_text(const KeyspaceEvent& e);  // "12:00:01.234  db0  expired  user:1"
std::string keyevent_json(const KeyspaceEvent& e);  // {"time_ms":...,"db":0,"event":...,"key":...}

// The server's notify-keyspace-events setting ("" when off). Throws RedisError.
std::string notification_setting(RedisClient& client);
// Whether that setting sends key-event notifications (the E class and at least one event class).
bool sends_keyevents(const std::string& setting);

// Keyspace notifications on, for as long as it lives: adds key events of every class ("E" and
// "A": all but key-miss and new-key) to the server's setting, and puts the previous setting
// back when destroyed or by restore(). Throws RedisError when the server refuses CONFIG.
class KeyspaceNotifications {
  public:
    explicit KeyspaceNotifications(RedisClient& client);
    ~KeyspaceNotifications();  // restore(), any failure swallowed (call restore() to see it)
    KeyspaceNotifications(const KeyspaceNotifications&) = delete;
    KeyspaceNotifications& operator=(const KeyspaceNotifications&) = delete;

    const std::string& previous() const noexcept { return m_previous; }
    void restore();  // idempotent; throws RedisError

  private:
    RedisClient& m_client;
    std::string m_previous;
    bool m_restored = false;
};

// Key events of the URL's database as they arrive, on the subscriber's thread.
class KeyspaceEventStream {
  public:
    using Handler = std::function<void(const KeyspaceEvent&)>;
    KeyspaceEventStream(const RedisUrl& url, Handler handler, SubscriberOptions options = {});
    bool connected() const noexcept { return m_subscriber.connected(); }
    uint64_t losses() const noexcept { return m_subscriber.losses(); }

  private:
    RedisSubscriber m_subscriber;
};

}  // namespace cs::redis
