#pragma once
// InvalidationBus: event-based invalidation. A publisher says "key user:1 changed", "everything
// under order: changed" or "everything tagged team:7 changed"; every subscribed cache drops the
// entries it covers. Delivery is asynchronous, as across a network: each subscriber has its own
// queue (a channel) and its own delivery task that applies invalidations to its cache in the
// order they were queued, so a slow subscriber falls behind without holding up the others.
// When a subscriber's queue is full, publish waits for room (a task parks).
//
// Every applied invalidation is an event of the engine's cache event log, with its cause (key,
// prefix, tag), subject, source, the entries it removed and its delay (publish to applied, on
// the engine clock).
//
//   InvalidationBus bus(engine, {.name = "invalidations"});
//   auto sub = bus.subscribe(cache, &tags);                 // unsubscribes when destroyed
//   co_await bus.publish(Invalidation::prefix("user:", "profile-api"));
//   co_await bus.flush();                                   // applied everywhere
//
// Thread-safe. A cache (and its TagIndex) must outlive its Subscription; the bus must not
// outlive its engine. After close() delivery tasks apply what is queued, then end by themselves.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "patterns/latency_histogram.h"
#include "runtime/task.h"

namespace cs {
class Engine;
}

namespace cs::cache {

class LocalCache;
class TagIndex;

struct InvalidationBusOptions {
    std::string name = "invalidations";  // names the bus's queues and delivery tasks
    // Per subscriber: invalidations published and not yet applied. Full: publish waits (a task
    // parks, a thread blocks). 0: no queue — publish waits until each delivery task takes it.
    size_t queue = 1024;
};

// What to invalidate. Not an aggregate on purpose: GCC 12 miscompiles a braced aggregate with
// string members built inside a co_await expression (`co_await bus.publish({.subject = ...})`
// frees a string it never allocated); with constructors the same code is sound.
struct Invalidation {
    enum class By : uint8_t {
        key,     // the one entry with this key
        prefix,  // every entry whose key starts with the subject (a scan of the cache)
        tag,     // every entry the subscriber's TagIndex lists under the subject
    };

    Invalidation() = default;
    Invalidation(By by_, std::string subject_, std::string source_)
        : by(by_), subject(std::move(subject_)), source(std::move(source_)) {}
    static Invalidation key(std::string key, std::string source) {
        return {By::key, std::move(key), std::move(source)};
    }
    static Invalidation prefix(std::string prefix, std::string source) {
        return {By::prefix, std::move(prefix), std::move(source)};
    }
    static Invalidation tag(std::string tag, std::string source) {
        return {By::tag, std::move(tag), std::move(source)};
    }

    By by = By::key;
    std::string subject;  // the key, prefix or tag
    std::string source;   // who published it (a service, a user, a test), for the event log
};

const char* to_string(Invalidation::By by) noexcept;  // "key", "prefix", "tag"

struct SubscriberStats {
    uint64_t id = 0;       // the subscription's, unique within the bus
    std::string cache;     // the cache's name
    uint64_t applied = 0;  // invalidations applied to the cache
    uint64_t entries_removed = 0;
    uint64_t dropped = 0;    // queued when it unsubscribed, so never applied
    uint64_t failed = 0;     // applying threw (the cache's listener): counted, delivery goes on
    size_t queued = 0;       // waiting in its queue now
    bool subscribed = true;  // false: unsubscribed or bus closed, its task still draining
};

struct InvalidationBusStats {
    uint64_t published = 0;          // publish calls accepted
    uint64_t delivered = 0;          // invalidations applied, summed over subscribers
    uint64_t entries_removed = 0;    // by those invalidations
    uint64_t dropped = 0;            // queued for subscribers that left before applying them
    patterns::LatencySummary delay;  // publish to applied, on the engine clock
    std::vector<SubscriberStats> per_subscriber;  // whose delivery task still runs
};

namespace detail {
struct BusState;
struct Subscriber;
}  // namespace detail

// A subscription to a bus; unsubscribes when destroyed. Movable.
class Subscription {
  public:
    Subscription() = default;
    Subscription(Subscription&& o) noexcept = default;
    Subscription& operator=(Subscription&& o) noexcept;
    ~Subscription() { unsubscribe(); }

    // Stops delivery: when it returns, the bus no longer touches the cache (an invalidation
    // being applied is finished first). What is still queued is dropped and counted. Idempotent;
    // must not be called from the cache's removal listener.
    void unsubscribe() noexcept;
    bool active() const noexcept;
    uint64_t id() const noexcept;

  private:
    friend class InvalidationBus;
    explicit Subscription(std::shared_ptr<detail::Subscriber> s) noexcept : m_sub(std::move(s)) {}
    std::shared_ptr<detail::Subscriber> m_sub;
};

class InvalidationBus {
  public:
    // Throws InvalidArgument for a queue above the largest channel capacity.
    InvalidationBus(Engine& engine, InvalidationBusOptions options);
    ~InvalidationBus();  // close(); does not wait for delivery tasks (see flush)
    InvalidationBus(const InvalidationBus&) = delete;
    InvalidationBus& operator=(const InvalidationBus&) = delete;

    // Starts delivering to `cache`. Invalidations by tag look the keys up in `tags` (without
    // one, they remove nothing); a TagIndex serves one subscription only, since taking a tag's
    // keys hands them out once. Throws UsageError after close(), InvalidArgument for a TagIndex
    // already subscribed.
    [[nodiscard]] Subscription subscribe(LocalCache& cache, TagIndex* tags = nullptr);

    // Queues the invalidation for every subscriber, waiting where a queue is full. Throws
    // rt::UsageError once the bus is closed. A subscriber that leaves meanwhile is skipped.
    rt::Task<> publish(Invalidation inv);
    void publish_blocking(Invalidation inv);  // the same, from an ordinary thread

    // Waits until every invalidation published before the call has been applied by every
    // subscriber (or dropped, for one that left). After close(): waits until every delivery
    // task has ended.
    rt::Task<> flush();
    void flush_blocking();

    // Refuses new publishes and subscriptions; delivery tasks apply what is already queued and
    // end. A publish under way does not hang: it reaches the subscribers it had queued for, and
    // misses those whose queue it was waiting on. Idempotent, any thread.
    void close();
    bool closed() const;

    InvalidationBusStats stats() const;
    const InvalidationBusOptions& options() const noexcept;

  private:
    std::shared_ptr<detail::BusState> m_state;
};

}  // namespace cs::cache
