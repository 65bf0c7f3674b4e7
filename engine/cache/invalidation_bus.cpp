#include "cache/invalidation_bus.h"

#include <atomic>
#include <mutex>

#include "cache/local_cache.h"
#include "cache/tag_index.h"
#include "engine.h"
#include "runtime/channel.h"
#include "runtime/errors.h"

namespace cs::cache {

using rt::Chan;
using rt::Task;

namespace detail {

// What travels down a subscriber's queue: an invalidation, or a flush marker.
struct Message {
    Invalidation inv;
    rt::TimePoint published{};
    Chan<rt::Unit> flushed;  // not nil: a flush marker — signal it, there is nothing to apply
};

struct Subscriber {
    Subscriber(uint64_t i, LocalCache& c, TagIndex* t, Chan<Message> q)
        : id(i),
          cache_name(c.name()),
          cache_id(c.telemetry_id),
          tags(t),
          cache(&c),
          queue(std::move(q)) {}

    const uint64_t id;
    const std::string cache_name;
    const uint64_t cache_id;
    TagIndex* const tags;  // touched only while `cache` is set

    // Held while an invalidation is applied, so that unsubscribe can promise the cache is no
    // longer touched when it returns.
    std::mutex mu;
    LocalCache* cache;  // guarded by mu; null once unsubscribed

    const Chan<Message> queue;
    // Closed by the delivery task as it ends: what flush waits on for a queue already closed.
    const Chan<rt::Unit> ended{0, "", Chan<rt::Unit>::Role::runtime};
    std::atomic<bool> queue_closed{false};
    std::atomic<bool> subscribed{true};
    std::atomic<uint64_t> applied{0}, entries_removed{0}, dropped{0}, failed{0};

    // Closes the queue once, whoever gets there first (unsubscribe or the bus's close).
    void close_queue() {
        if (!queue_closed.exchange(true)) queue.close();
    }
    void leave() {
        {
            std::lock_guard lock(mu);
            cache = nullptr;
        }
        subscribed.store(false);
        close_queue();
    }
};

struct BusState {
    BusState(Engine& e, InvalidationBusOptions o) : engine(e), options(std::move(o)) {}

    Engine& engine;
    const InvalidationBusOptions options;

    mutable std::mutex mu;  // guards closed, next_id and subscribers
    bool closed = false;
    uint64_t next_id = 1;
    std::vector<std::shared_ptr<Subscriber>> subscribers;  // those whose delivery task runs

    std::atomic<uint64_t> published{0}, delivered{0}, entries_removed{0}, dropped{0};
    patterns::LatencyHistogram delay;

    std::vector<std::shared_ptr<Subscriber>> running() const {
        std::lock_guard lock(mu);
        return subscribers;
    }
    // The subscribers a new publish goes to; UsageError once closed.
    std::vector<std::shared_ptr<Subscriber>> accept_publish() {
        std::lock_guard lock(mu);
        if (closed)
            throw rt::UsageError("invalidation bus '" + options.name + "': publish after close");
        published.fetch_add(1, std::memory_order_relaxed);
        return subscribers;
    }
    void remove(const Subscriber* sub) {
        std::lock_guard lock(mu);
        std::erase_if(subscribers, [&](const auto& s) { return s.get() == sub; });
    }

    void apply(Subscriber& sub, const Message& m);
    void record(const Subscriber& sub, const Invalidation& inv, rt::TimePoint applied,
                rt::Duration delay, uint64_t removed);
};

namespace {

// Applies everything that arrives until the queue is closed and drained, then leaves the bus.
// A flush marker is signalled in order, so whoever waits on it knows that everything queued
// before it has been applied.
Task<> deliver(std::shared_ptr<BusState> bus, std::shared_ptr<Subscriber> sub) {
    while (auto r = co_await sub->queue.recv()) {
        if (!r.value.flushed.is_nil()) {
            r.value.flushed.try_send(rt::Unit{});  // sized for every subscriber: never full
            continue;
        }
        bus->apply(*sub, r.value);
    }
    bus->remove(sub.get());
    sub->ended.close();
}

// Queues `m` for every subscriber: first wherever there is room, then it waits for the full
// queues in turn, so that one slow subscriber does not hold the message back from the others.
// Returns the subscribers whose queue turned out closed.
Task<std::vector<Subscriber*>> send_to_all(const std::vector<std::shared_ptr<Subscriber>>& subs,
                                           const Message& m) {
    std::vector<Subscriber*> full, closed;
    for (const auto& sub : subs) {
        try {
            if (!sub->queue.try_send(m)) full.push_back(sub.get());
        } catch (const rt::ChannelError&) {
            closed.push_back(sub.get());
        }
    }
    for (Subscriber* sub : full) {
        try {
            co_await sub->queue.send(m);
        } catch (const rt::ChannelError&) {  // closed while we waited for room
            closed.push_back(sub);
        }
    }
    co_return closed;
}

std::vector<Subscriber*> send_to_all_blocking(const std::vector<std::shared_ptr<Subscriber>>& subs,
                                              const Message& m) {
    std::vector<Subscriber*> closed;
    for (const auto& sub : subs) {
        try {
            sub->queue.send_blocking(m);
        } catch (const rt::ChannelError&) {
            closed.push_back(sub.get());
        }
    }
    return closed;
}

Chan<rt::Unit> flush_signal(const BusState& s, size_t subscribers) {
    return Chan<rt::Unit>(static_cast<long long>(subscribers), s.options.name + " flush",
                          Chan<rt::Unit>::Role::runtime);
}

}  // namespace

void BusState::apply(Subscriber& sub, const Message& m) {
    uint64_t removed = 0;
    {
        std::lock_guard lock(sub.mu);
        if (!sub.cache) {
            sub.dropped.fetch_add(1, std::memory_order_relaxed);
            dropped.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        const std::string& subject = m.inv.subject;
        try {
            switch (m.inv.by) {
                case Invalidation::By::key:
                    removed = sub.cache->invalidate(subject) ? 1 : 0;
                    break;
                case Invalidation::By::prefix:
                    removed = sub.cache->invalidate_if(
                        [&](std::string_view k) { return k.starts_with(subject); });
                    break;
                case Invalidation::By::tag:
                    if (sub.tags)
                        for (const std::string& k : sub.tags->take_keys(subject))
                            removed += sub.cache->invalidate(k) ? 1 : 0;
                    break;
            }
        } catch (...) {
            // The cache's listener threw: one invalidation lost is better than a subscriber
            // that stops applying the rest.
            sub.failed.fetch_add(1, std::memory_order_relaxed);
            return;
        }
    }
    rt::TimePoint now = engine.clock().now();
    rt::Duration d = now - m.published;
    sub.applied.fetch_add(1, std::memory_order_relaxed);
    sub.entries_removed.fetch_add(removed, std::memory_order_relaxed);
    delivered.fetch_add(1, std::memory_order_relaxed);
    entries_removed.fetch_add(removed, std::memory_order_relaxed);
    delay.record(d);
    record(sub, m.inv, now, d, removed);
}

void BusState::record(const Subscriber& sub, const Invalidation& inv, rt::TimePoint applied,
                      rt::Duration d, uint64_t removed) {
    if (!engine.telemetry().enabled()) return;
    telemetry::CacheEvent e;
    e.kind = telemetry::CacheEvent::Kind::invalidation;
    e.time = applied;
    e.cache_id = sub.cache_id;
    e.cache = sub.cache_name;
    e.cause = to_string(inv.by);
    e.subject = inv.subject;
    e.source = inv.source;
    e.delay_ns = d.count();
    e.entries = removed;
    engine.telemetry().cache_events().record(std::move(e));
}

}  // namespace detail

using detail::BusState;
using detail::Message;
using detail::Subscriber;

const char* to_string(Invalidation::By by) noexcept {
    switch (by) {
        case Invalidation::By::key:
            return "key";
        case Invalidation::By::prefix:
            return "prefix";
        case Invalidation::By::tag:
            return "tag";
    }
    return "?";
}

// ---- Subscription ----------------------------------------------------------------------------

Subscription& Subscription::operator=(Subscription&& o) noexcept {
    if (this != &o) {
        unsubscribe();
        m_sub = std::move(o.m_sub);
    }
    return *this;
}

void Subscription::unsubscribe() noexcept {
    if (auto sub = std::move(m_sub)) sub->leave();
}

bool Subscription::active() const noexcept {
    return m_sub && m_sub->subscribed.load();
}

uint64_t Subscription::id() const noexcept {
    return m_sub ? m_sub->id : 0;
}

// ---- InvalidationBus -------------------------------------------------------------------------

InvalidationBus::InvalidationBus(Engine& engine, InvalidationBusOptions options) {
    if (options.queue > size_t(rt::max_channel_capacity))
        rt::throw_out_of_range("invalidation bus queue", static_cast<long long>(options.queue),
                               "0 .. 67108864");
    m_state = std::make_shared<BusState>(engine, std::move(options));
}

InvalidationBus::~InvalidationBus() {
    close();
}

Subscription InvalidationBus::subscribe(LocalCache& cache, TagIndex* tags) {
    BusState& s = *m_state;
    Chan<Message> queue(static_cast<long long>(s.options.queue),
                        s.options.name + " to " + cache.name());
    std::shared_ptr<Subscriber> sub;
    {
        std::lock_guard lock(s.mu);
        if (s.closed)
            throw rt::UsageError("invalidation bus '" + s.options.name +
                                 "': subscribe after close");
        for (const auto& other : s.subscribers)
            if (tags && other->tags == tags && other->subscribed.load())
                throw rt::InvalidArgument("invalidation bus '" + s.options.name +
                                          "': this TagIndex already serves the subscription of '" +
                                          other->cache_name + "'; give each cache its own");
        sub = std::make_shared<Subscriber>(s.next_id++, cache, tags, std::move(queue));
        s.subscribers.push_back(sub);
    }
    s.engine.go(s.options.name + " to " + cache.name(),
                [state = m_state, sub]() { return detail::deliver(state, sub); });
    return Subscription(std::move(sub));
}

Task<> InvalidationBus::publish(Invalidation inv) {
    std::shared_ptr<BusState> s = m_state;  // the bus may be destroyed while we wait for room
    auto subs = s->accept_publish();
    Message m;
    m.inv = std::move(inv);
    m.published = s->engine.clock().now();
    co_await detail::send_to_all(subs, m);  // a subscriber that left is simply skipped
}

void InvalidationBus::publish_blocking(Invalidation inv) {
    auto subs = m_state->accept_publish();
    Message m;
    m.inv = std::move(inv);
    m.published = m_state->engine.clock().now();
    detail::send_to_all_blocking(subs, m);
}

Task<> InvalidationBus::flush() {
    std::shared_ptr<BusState> s = m_state;
    auto subs = s->running();
    if (subs.empty()) co_return;
    Message marker;
    marker.flushed = detail::flush_signal(*s, subs.size());
    auto closed = co_await detail::send_to_all(subs, marker);
    for (size_t i = closed.size(); i < subs.size(); ++i) co_await marker.flushed.recv();
    // A closed queue is drained before its task ends: the end is the flush.
    for (Subscriber* sub : closed) co_await sub->ended.recv();
}

void InvalidationBus::flush_blocking() {
    auto subs = m_state->running();
    if (subs.empty()) return;
    Message marker;
    marker.flushed = detail::flush_signal(*m_state, subs.size());
    auto closed = detail::send_to_all_blocking(subs, marker);
    for (size_t i = closed.size(); i < subs.size(); ++i) marker.flushed.recv_blocking();
    for (Subscriber* sub : closed) sub->ended.recv_blocking();
}

void InvalidationBus::close() {
    std::vector<std::shared_ptr<Subscriber>> subs;
    {
        std::lock_guard lock(m_state->mu);
        if (m_state->closed) return;
        m_state->closed = true;
        subs = m_state->subscribers;
    }
    for (const auto& sub : subs) {
        sub->subscribed.store(false);
        sub->close_queue();
    }
}

bool InvalidationBus::closed() const {
    std::lock_guard lock(m_state->mu);
    return m_state->closed;
}

InvalidationBusStats InvalidationBus::stats() const {
    const BusState& s = *m_state;
    InvalidationBusStats out;
    out.published = s.published.load(std::memory_order_relaxed);
    out.delivered = s.delivered.load(std::memory_order_relaxed);
    out.entries_removed = s.entries_removed.load(std::memory_order_relaxed);
    out.dropped = s.dropped.load(std::memory_order_relaxed);
    out.delay = s.delay.summary();
    for (const auto& sub : s.running()) {
        SubscriberStats st;
        st.id = sub->id;
        st.cache = sub->cache_name;
        st.applied = sub->applied.load(std::memory_order_relaxed);
        st.entries_removed = sub->entries_removed.load(std::memory_order_relaxed);
        st.dropped = sub->dropped.load(std::memory_order_relaxed);
        st.failed = sub->failed.load(std::memory_order_relaxed);
        st.queued = sub->queue.len();
        st.subscribed = sub->subscribed.load();
        out.per_subscriber.push_back(std::move(st));
    }
    return out;
}

const InvalidationBusOptions& InvalidationBus::options() const noexcept {
    return m_state->options;
}

}  // namespace cs::cache
