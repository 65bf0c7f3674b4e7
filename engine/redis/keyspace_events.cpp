#include "redis/keyspace_events.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

#include "redis/redis_error.h"

namespace cs::redis {

std::optional<KeyspaceEvent> parse_keyevent(const PubSubMessage& m) {
    // __keyevent@<db>__:<event>
    constexpr std::string_view head = "__keyevent@";
    const std::string& c = m.channel;
    if (c.compare(0, head.size(), head) != 0 || m.payload.type != Reply::Type::string)
        return std::nullopt;
    size_t db_end = c.find("__:", head.size());
    if (db_end == std::string::npos || db_end == head.size()) return std::nullopt;
    KeyspaceEvent e;
    try {
        e.db = std::stoi(c.substr(head.size(), db_end - head.size()));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    e.time = std::chrono::system_clock::now();
    e.event = c.substr(db_end + 3);
    e.key = m.payload.str;
    return e;
}

std::string keyevent_text(const KeyspaceEvent& e) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.time.time_since_epoch());
    std::time_t seconds = std::time_t(ms.count() / 1000);
    std::tm local{};
    localtime_r(&seconds, &local);
    char clock[32];
    std::snprintf(clock, sizeof clock, "%02d:%02d:%02d.%03d", local.tm_hour, local.tm_min,
                  local.tm_sec, int(ms.count() % 1000));
    return std::string(clock) + "  db" + std::to_string(e.db) + "  " + e.event + "  " + e.key;
}

std::string keyevent_json(const KeyspaceEvent& e) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.time.time_since_epoch());
    return nlohmann::json{{"time_ms", ms.count()}, {"db", e.db}, {"event", e.event},
                          {"key", e.key}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string notification_setting(RedisClient& client) {
    Reply r = client.command_blocking({"CONFIG", "GET", "notify-keyspace-events"});
    if (r.type != Reply::Type::array || r.elements.size() != 2)
        throw RedisError(RedisErrorKind::protocol,
                         "Redis at " + client.url().text() +
                             ": CONFIG GET notify-keyspace-events gave no value");
    return r.elements[1].str;
}

bool sends_keyevents(const std::string& setting) {
    return setting.find('E') != std::string::npos &&
           setting.find_first_of("Ag$lshzxetdmn") != std::string::npos;
}

KeyspaceNotifications::KeyspaceNotifications(RedisClient& client)
    : m_client(client), m_previous(notification_setting(client)) {
    std::string wanted = m_previous;
    for (char flag : std::string("EA"))
        if (wanted.find(flag) == std::string::npos) wanted += flag;
    m_client.command_blocking({"CONFIG", "SET", "notify-keyspace-events", wanted});
}

KeyspaceNotifications::~KeyspaceNotifications() {
    try {
        restore();
    } catch (const std::exception&) {
        // Nothing to do from a destructor; restore() called first reports it.
    }
}

void KeyspaceNotifications::restore() {
    if (m_restored) return;
    m_client.command_blocking({"CONFIG", "SET", "notify-keyspace-events", m_previous});
    m_restored = true;
}

KeyspaceEventStream::KeyspaceEventStream(const RedisUrl& url, Handler handler,
                                         SubscriberOptions options)
    : m_subscriber(url, {.patterns = {"__keyevent@" + std::to_string(url.db) + "__:*"}},
                   {.on_message =
                        [handler = std::move(handler)](const PubSubMessage& m) {
                            if (auto e = parse_keyevent(m)) handler(*e);
                        }},
                   options) {}

}  // namespace cs::redis
