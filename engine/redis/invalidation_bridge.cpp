#include "redis/invalidation_bridge.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <random>

#include "runtime/errors.h"

namespace cs::redis {

namespace {

using json = nlohmann::json;

int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string random_id() {
    std::random_device rd;
    uint64_t id = (uint64_t(rd()) << 32) ^ rd();
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(id));
    return text;
}

std::optional<cache::Invalidation::By> by_from(const std::string& name) {
    for (auto by : {cache::Invalidation::By::key, cache::Invalidation::By::prefix,
                    cache::Invalidation::By::tag})
        if (name == cache::to_string(by)) return by;
    return std::nullopt;
}

}  // namespace

InvalidationBridge::InvalidationBridge(cache::InvalidationBus& bus, RedisClient& redis,
                                       InvalidationBridgeOptions options)
    : m_bus(bus), m_redis(redis), m_options(std::move(options)), m_id(random_id()) {
    m_subscriber = std::make_unique<RedisSubscriber>(
        m_redis.url(), Subscriptions{.channels = {m_options.channel}},
        SubscriberHandlers{.on_message = [this](const PubSubMessage& m) { on_message(m); },
                           .on_lost = [this](const std::string&) { on_lost(); }},
        m_options.subscriber);
}

InvalidationBridge::~InvalidationBridge() {
    m_subscriber.reset();  // no callback runs after this
}

std::string InvalidationBridge::encode(const cache::Invalidation& inv) const {
    return json{{"from", m_id},
                {"by", cache::to_string(inv.by)},
                {"subject", inv.subject},
                {"source", inv.source},
                {"sent_ns", wall_ns()}}
        .dump();
}

rt::Task<> InvalidationBridge::publish(cache::Invalidation inv) {
    Command publish{"PUBLISH", m_options.channel, encode(inv)};
    co_await m_bus.publish(std::move(inv));
    co_await m_redis.command(std::move(publish));
    m_sent.fetch_add(1, std::memory_order_relaxed);
}

void InvalidationBridge::publish_blocking(const cache::Invalidation& inv) {
    m_bus.publish_blocking(inv);
    m_redis.command_blocking({"PUBLISH", m_options.channel, encode(inv)});
    m_sent.fetch_add(1, std::memory_order_relaxed);
}

void InvalidationBridge::on_message(const PubSubMessage& m) {
    json message = json::parse(m.payload.str, nullptr, /*allow_exceptions=*/false);
    std::optional<cache::Invalidation::By> by;
    bool well_formed = message.is_object() && message.value("from", json()).is_string() &&
                       message.value("subject", json()).is_string() &&
                       message.value("source", json()).is_string() &&
                       message.value("sent_ns", json()).is_number_integer() &&
                       message.value("by", json()).is_string() &&
                       (by = by_from(message["by"].get<std::string>()));
    if (!well_formed) {
        m_malformed.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    if (message["from"].get<std::string>() == m_id) return;  // ours: the bus has it already
    int64_t delay = wall_ns() - message["sent_ns"].get<int64_t>();
    m_delay.record(rt::Duration(std::max<int64_t>(delay, 0)));
    m_received.fetch_add(1, std::memory_order_relaxed);
    try {
        m_bus.publish_blocking(cache::Invalidation(*by, message["subject"].get<std::string>(),
                                                   message["source"].get<std::string>() +
                                                       " (via Redis)"));
    } catch (const rt::UsageError&) {
        // The bus is closed: the application is stopping, and nothing is left to invalidate.
    }
}

void InvalidationBridge::on_lost() {
    m_resyncs.fetch_add(1, std::memory_order_relaxed);
    try {
        m_bus.publish_blocking(cache::Invalidation::prefix("", "redis bridge resync"));
    } catch (const rt::UsageError&) {
    }
}

InvalidationBridgeStats InvalidationBridge::stats() const {
    InvalidationBridgeStats s;
    s.sent = m_sent.load(std::memory_order_relaxed);
    s.received = m_received.load(std::memory_order_relaxed);
    s.malformed = m_malformed.load(std::memory_order_relaxed);
    s.resyncs = m_resyncs.load(std::memory_order_relaxed);
    s.connected = connected();
    s.delay = m_delay.summary();
    return s;
}

}  // namespace cs::redis
