#pragma once
// InvalidationBridge: the local invalidation bus carried across processes over Redis pub/sub.
// publish() hands an invalidation to the local bus and PUBLISHes it on a channel; the bridge of
// every other process on that channel re-publishes it into its own bus (a bridge skips its own
// messages: each carries the sending bridge's id). A message carries the wall-clock time it was
// sent, so the receiver knows how long it took between processes.
//
// Pub/sub delivers at most once: a message sent while a bridge is disconnected never reaches
// it. So when its subscription drops, a bridge publishes "everything" (the empty prefix) into
// its bus — every subscribed cache is cleared, since it may have missed an invalidation — and
// counts a resync.
//
//   InvalidationBridge bridge(bus, redis, {.channel = "shop:invalidations"});
//   co_await bridge.publish(Invalidation::key("user:1", "profile-api"));
//
// Thread-safe. The bus and the client must outlive the bridge.
#include <atomic>
#include <memory>
#include <string>

#include "cache/invalidation_bus.h"
#include "patterns/latency_histogram.h"
#include "redis/redis_client.h"
#include "redis/redis_subscriber.h"

namespace cs::redis {

struct InvalidationBridgeOptions {
    std::string channel = "chanscope:invalidations";
    SubscriberOptions subscriber{};
};

struct InvalidationBridgeStats {
    uint64_t sent = 0;       // published on the channel
    uint64_t received = 0;   // from other bridges, handed to the local bus
    uint64_t malformed = 0;  // messages on the channel that were not a bridge's (ignored)
    uint64_t resyncs = 0;    // subscription losses, each clearing the subscribed caches
    bool connected = false;
    patterns::LatencySummary delay;  // sent (wall clock) to handed to the local bus
};

class InvalidationBridge {
  public:
    InvalidationBridge(cache::InvalidationBus& bus, RedisClient& redis,
                       InvalidationBridgeOptions options = {});
    ~InvalidationBridge();
    InvalidationBridge(const InvalidationBridge&) = delete;
    InvalidationBridge& operator=(const InvalidationBridge&) = delete;

    // To the local bus, then to the channel. Throws RedisError when Redis cannot take it (the
    // local bus has it already).
    rt::Task<> publish(cache::Invalidation inv);
    void publish_blocking(const cache::Invalidation& inv);

    bool connected() const noexcept { return m_subscriber && m_subscriber->connected(); }
    InvalidationBridgeStats stats() const;

  private:
    std::string encode(const cache::Invalidation& inv) const;
    void on_message(const PubSubMessage& m);
    void on_lost();

    cache::InvalidationBus& m_bus;
    RedisClient& m_redis;
    const InvalidationBridgeOptions m_options;
    const std::string m_id;  // this bridge's, in every message it sends
    std::atomic<uint64_t> m_sent{0}, m_received{0}, m_malformed{0}, m_resyncs{0};
    patterns::LatencyHistogram m_delay;
    std::unique_ptr<RedisSubscriber> m_subscriber;  // last: its thread calls into the above
};

}  // namespace cs::redis
