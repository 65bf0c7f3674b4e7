// Invalidation by event (the bus: by key, prefix and tag) and by version (namespaces), on a real
// engine: real delivery tasks, real channels, events in the engine's cache event log.
#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include "../engine/test_support.h"
#include "cache/invalidation_bus.h"
#include "cache/local_cache.h"
#include "cache/tag_index.h"
#include "cache/versioned_namespace.h"
#include "runtime/errors.h"

namespace cs::test {
namespace {

using cache::Invalidation;
using cache::InvalidationBus;
using cache::LocalCache;
using cache::LocalCacheOptions;
using cache::RemovalCause;
using cache::Subscription;
using cache::TagIndex;
using cache::VersionedNamespace;
using telemetry::CacheEvent;
using By = Invalidation::By;

LocalCacheOptions options(std::string name) {
    LocalCacheOptions o;
    o.name = std::move(name);
    o.capacity = 10'000;
    o.policy = cache::PolicyKind::lru;  // admits everything: what is set is there
    return o;
}

// The invalidation events recorded since the previous call (removals left out).
std::vector<CacheEvent> invalidation_events(Engine& engine) {
    std::vector<CacheEvent> out;
    for (auto& e : engine.telemetry().cache_events().take_recent())
        if (e.kind == CacheEvent::Kind::invalidation) out.push_back(std::move(e));
    return out;
}

std::set<std::string> present(LocalCache& cache, std::initializer_list<const char*> keys) {
    std::set<std::string> out;
    for (const char* k : keys)
        if (cache.peek(k)) out.insert(k);
    return out;
}

// Live tasks whose name starts with `prefix` (reads a snapshot, which takes the cache events too).
size_t tasks_named(Engine& engine, const std::string& prefix) {
    size_t n = 0;
    auto snapshot = engine.snapshot();
    for (const auto& t : snapshot->tasks) n += t.name.rfind(prefix, 0) == 0;
    return n;
}

// Holds the thread that removes an entry with cause `invalidated` from a cache until released:
// a subscriber that is slow to apply, with its queue backing up behind it. Opens when destroyed,
// so a failed test does not leave a worker stuck.
struct Gate {
    std::mutex mu;
    std::condition_variable cv;
    bool entered = false, open = false;

    LocalCache::Listener listener() {
        return [this](const std::string&, const std::string&, RemovalCause cause) {
            if (cause != RemovalCause::invalidated) return;
            std::unique_lock lock(mu);
            entered = true;
            cv.notify_all();
            cv.wait(lock, [&] { return open; });
        };
    }
    void wait_entered() {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return entered; });
    }
    void release() {
        std::lock_guard lock(mu);
        open = true;
        cv.notify_all();
    }
    ~Gate() { release(); }
};

const cache::SubscriberStats& stats_of(const cache::InvalidationBusStats& s,
                                       const std::string& cache) {
    for (const auto& p : s.per_subscriber)
        if (p.cache == cache) return p;
    static const cache::SubscriberStats none{};
    ADD_FAILURE() << "no subscriber for cache " << cache;
    return none;
}

// Two engine caches, each with its own tag index, both subscribed to one bus.
struct TwoCaches {
    explicit TwoCaches(EngineOptions eo = {.workers = 2}) : engine(eo) {}

    Engine engine;
    LocalCache a{engine, options("a")};
    LocalCache b{engine, options("b")};
    TagIndex tags_a, tags_b;
    InvalidationBus bus{engine, {.name = "inv"}};
    Subscription sub_a = bus.subscribe(a, &tags_a);
    Subscription sub_b = bus.subscribe(b, &tags_b);

    static constexpr std::initializer_list<const char*> keys = {"user:1", "user:2",  "user:10",
                                                                "user",   "order:1", "order:2"};

    void fill() {
        for (LocalCache* c : {&a, &b})
            for (const char* k : keys) c->set(k, "v");
        // The caches tag differently: each subscriber must use its own index.
        tags_a.tag("user:1", {"team:7"});
        tags_a.tag("user:2", {"team:7", "org:2"});
        tags_a.tag("order:1", {"org:2"});
        tags_b.tag("user:1", {"team:7"});
        tags_b.tag("order:2", {"org:2"});
        invalidation_events(engine);  // start from an empty log
    }

    void publish(By by, std::string subject, std::string source = "test") {
        run_task(engine, [&]() -> Task<> {
            co_await bus.publish(Invalidation(by, subject, source));
            co_await bus.flush();
        });
    }

    // The events, one per cache, checked for what every event must say; keyed by cache name.
    std::map<std::string, CacheEvent> events_for(By by, const std::string& subject,
                                                 const std::string& source = "test") {
        std::map<std::string, CacheEvent> out;
        for (auto& e : invalidation_events(engine)) {
            EXPECT_EQ(e.cause, cache::to_string(by));
            EXPECT_EQ(e.subject, subject);
            EXPECT_EQ(e.source, source);
            EXPECT_GE(e.delay_ns, 0);
            EXPECT_TRUE(out.emplace(e.cache, e).second) << "two events for " << e.cache;
        }
        EXPECT_EQ(out.size(), 2u);
        if (out.count("a")) {
            EXPECT_EQ(out["a"].cache_id, a.telemetry_id);
        }
        if (out.count("b")) {
            EXPECT_EQ(out["b"].cache_id, b.telemetry_id);
        }
        return out;
    }
};

TEST(InvalidationBus, ByKeyRemovesThatEntryFromEverySubscriberAndNothingElse) {
    TwoCaches t;
    t.fill();
    t.publish(By::key, "user:1", "profile-service");
    for (LocalCache* c : {&t.a, &t.b})
        EXPECT_EQ(present(*c, TwoCaches::keys),
                  (std::set<std::string>{"user:2", "user:10", "user", "order:1", "order:2"}));
    auto events = t.events_for(By::key, "user:1", "profile-service");
    EXPECT_EQ(events["a"].entries, 1u);
    EXPECT_EQ(events["b"].entries, 1u);

    t.publish(By::key, "user:1");  // gone already: arrives, removes nothing
    auto again = t.events_for(By::key, "user:1");
    EXPECT_EQ(again["a"].entries, 0u);
    EXPECT_EQ(again["b"].entries, 0u);
    EXPECT_EQ(t.a.stats().removed(RemovalCause::invalidated), 1u);
}

TEST(InvalidationBus, ByPrefixRemovesEveryKeyStartingWithItFromEverySubscriber) {
    TwoCaches t;
    t.fill();
    t.publish(By::prefix, "user:");
    for (LocalCache* c : {&t.a, &t.b})
        EXPECT_EQ(present(*c, TwoCaches::keys),
                  (std::set<std::string>{"user", "order:1", "order:2"}));
    auto events = t.events_for(By::prefix, "user:");
    EXPECT_EQ(events["a"].entries, 3u);
    EXPECT_EQ(events["b"].entries, 3u);
}

TEST(InvalidationBus, ByTagRemovesWhatEachSubscribersIndexListsUnderTheTag) {
    TwoCaches t;
    t.fill();
    t.publish(By::tag, "team:7");
    EXPECT_EQ(present(t.a, TwoCaches::keys),
              (std::set<std::string>{"user:10", "user", "order:1", "order:2"}));
    EXPECT_EQ(present(t.b, TwoCaches::keys),
              (std::set<std::string>{"user:2", "user:10", "user", "order:1", "order:2"}));
    auto events = t.events_for(By::tag, "team:7");
    EXPECT_EQ(events["a"].entries, 2u);
    EXPECT_EQ(events["b"].entries, 1u);
    // user:2 was forgotten with its other tag: org:2 now covers order:1 only in a.
    EXPECT_TRUE(t.tags_a.tags_of("user:2").empty());

    t.publish(By::tag, "org:2");
    EXPECT_EQ(present(t.a, TwoCaches::keys), (std::set<std::string>{"user:10", "user", "order:2"}));
    EXPECT_EQ(present(t.b, TwoCaches::keys),
              (std::set<std::string>{"user:2", "user:10", "user", "order:1"}));
    auto second = t.events_for(By::tag, "org:2");
    EXPECT_EQ(second["a"].entries, 1u);
    EXPECT_EQ(second["b"].entries, 1u);
    EXPECT_EQ(t.tags_a.key_count(), 0u);
    EXPECT_EQ(t.tags_b.key_count(), 0u);
}

TEST(InvalidationBus, BySubjectsWorkTheSameOnADeterministicEngine) {
    TwoCaches t({.deterministic = true, .seed = 7});
    t.fill();
    t.publish(By::key, "user:10");
    t.publish(By::prefix, "order:");
    t.publish(By::tag, "team:7");
    EXPECT_EQ(present(t.a, TwoCaches::keys), (std::set<std::string>{"user"}));
    EXPECT_EQ(present(t.b, TwoCaches::keys), (std::set<std::string>{"user:2", "user"}));
}

TEST(InvalidationBus, ASubscriberWithoutATagIndexIgnoresTagsButNotKeys) {
    Engine engine({.workers = 2});
    LocalCache plain(engine, options("plain"));
    InvalidationBus bus(engine, {.name = "inv"});
    auto sub = bus.subscribe(plain);
    plain.set("k", "v");
    bus.publish_blocking(Invalidation::tag("k", "test"));
    bus.flush_blocking();
    EXPECT_TRUE(plain.peek("k"));
    bus.publish_blocking(Invalidation::key("k", "test"));
    bus.flush_blocking();
    EXPECT_FALSE(plain.peek("k"));
    auto events = invalidation_events(engine);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].entries, 0u);
    EXPECT_EQ(events[1].entries, 1u);
}

TEST(InvalidationBus, StatsCountPublishedDeliveredAndRemovedPerSubscriber) {
    TwoCaches t;
    t.fill();
    t.publish(By::key, "user:1");
    t.publish(By::prefix, "order:");
    t.publish(By::key, "absent");
    auto s = t.bus.stats();
    EXPECT_EQ(s.published, 3u);
    EXPECT_EQ(s.delivered, 6u);
    EXPECT_EQ(s.entries_removed, 6u);  // 1 + 2 in each cache
    EXPECT_EQ(s.delay.count, 6u);
    ASSERT_EQ(s.per_subscriber.size(), 2u);
    for (const char* name : {"a", "b"}) {
        const auto& p = stats_of(s, name);
        EXPECT_EQ(p.applied, 3u);
        EXPECT_EQ(p.entries_removed, 3u);
        EXPECT_EQ(p.queued, 0u);
        EXPECT_EQ(p.dropped, 0u);
        EXPECT_EQ(p.failed, 0u);
        EXPECT_TRUE(p.subscribed);
    }
}

// The clock is paused, so every delay is exactly what the test makes it: the slow subscriber's
// invalidations wait in its queue while the test moves time on by 5 s; the other applies its
// own at once.
TEST(InvalidationBus, DelayIsPublishToAppliedAndShowsASlowSubscriber) {
    Engine engine({.workers = 2});
    Gate gate;
    LocalCache fast(engine, options("fast"));
    LocalCache slow(engine, options("slow"), gate.listener());
    InvalidationBus bus(engine, {.name = "inv"});
    auto sub_fast = bus.subscribe(fast);
    auto sub_slow = bus.subscribe(slow);
    for (LocalCache* c : {&fast, &slow})
        for (const char* k : {"k1", "k2", "k3"}) c->set(k, "v");

    engine.pause();
    for (const char* k : {"k1", "k2", "k3"}) bus.publish_blocking(Invalidation::key(k, "writer"));
    gate.wait_entered();  // the slow one is applying k1, with k2 and k3 queued behind it
    ASSERT_TRUE(eventually([&] { return stats_of(bus.stats(), "fast").applied == 3; }));
    EXPECT_EQ(stats_of(bus.stats(), "slow").queued, 2u);
    engine.advance(5s);
    gate.release();
    bus.flush_blocking();

    auto events = invalidation_events(engine);
    ASSERT_EQ(events.size(), 6u);
    for (const auto& e : events) {
        EXPECT_EQ(e.delay_ns, e.cache == "slow" ? int64_t(5'000'000'000) : 0) << e.subject;
        EXPECT_EQ(e.entries, 1u);
    }
    auto delay = bus.stats().delay;
    EXPECT_EQ(delay.count, 6u);
    EXPECT_EQ(delay.max, rt::Duration(5s));
    EXPECT_EQ(delay.mean, rt::Duration(2500ms));
    engine.resume();
}

// A full queue makes the publisher park, but only behind the subscriber that is full: the
// others get the invalidation at once.
TEST(InvalidationBus, AFullQueueParksThePublisherWithoutHoldingUpOtherSubscribers) {
    Engine engine({.workers = 2});
    Gate gate;
    LocalCache fast(engine, options("fast"));
    LocalCache slow(engine, options("slow"), gate.listener());
    InvalidationBus bus(engine, {.name = "inv", .queue = 1});
    auto sub_fast = bus.subscribe(fast);
    auto sub_slow = bus.subscribe(slow);
    for (LocalCache* c : {&fast, &slow})
        for (const char* k : {"k1", "k2", "k3"}) c->set(k, "v");

    bus.publish_blocking(Invalidation::key("k1", "writer"));
    gate.wait_entered();  // slow holds k1; its queue (1) is empty
    bus.publish_blocking(Invalidation::key("k2", "writer"));  // fills it
    auto publisher = engine.spawn(
        "publisher", [&]() -> Task<> { co_await bus.publish(Invalidation::key("k3", "writer")); });
    ASSERT_TRUE(eventually([&] { return stats_of(bus.stats(), "fast").applied == 3; }));
    EXPECT_FALSE(fast.peek("k3"));
    EXPECT_FALSE(publisher.done());  // k3 waits for room in slow's queue
    EXPECT_TRUE(slow.peek("k3"));
    gate.release();
    publisher.wait();
    bus.flush_blocking();
    EXPECT_EQ(slow.size(), 0u);
    EXPECT_EQ(stats_of(bus.stats(), "slow").applied, 3u);
}

TEST(InvalidationBus, UnsubscribeStopsDelivery) {
    TwoCaches t;
    t.fill();
    t.sub_b.unsubscribe();
    EXPECT_FALSE(t.sub_b.active());
    EXPECT_TRUE(t.sub_a.active());
    t.publish(By::prefix, "");  // every key
    EXPECT_EQ(t.a.size(), 0u);
    EXPECT_EQ(t.b.size(), TwoCaches::keys.size());
    auto events = invalidation_events(t.engine);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].cache, "a");
    auto s = t.bus.stats();  // b's delivery task has ended: flush waited for it
    ASSERT_EQ(s.per_subscriber.size(), 1u);
    EXPECT_EQ(s.per_subscriber[0].cache, "a");
    t.sub_b.unsubscribe();  // idempotent
}

// The engine's only worker is held by a task that blocks its thread, so the delivery task cannot
// run: the invalidations wait in the queue while the subscriber leaves.
TEST(InvalidationBus, WhatIsQueuedWhenASubscriberLeavesIsDroppedAndCounted) {
    Engine engine({.workers = 1});
    LocalCache a(engine, options("a"));
    InvalidationBus bus(engine, {.name = "inv"});
    auto sub = bus.subscribe(a);
    for (const char* k : {"k1", "k2", "k3"}) a.set(k, "v");
    Gate hog;
    engine.go("hog", [&]() -> Task<> {
        hog.listener()("", "", RemovalCause::invalidated);  // blocks the worker until released
        co_return;
    });
    hog.wait_entered();
    for (const char* k : {"k1", "k2", "k3"}) bus.publish_blocking(Invalidation::key(k, "writer"));
    sub.unsubscribe();
    hog.release();
    bus.flush_blocking();
    EXPECT_EQ(a.size(), 3u);
    auto s = bus.stats();
    EXPECT_EQ(s.published, 3u);
    EXPECT_EQ(s.dropped, 3u);
    EXPECT_EQ(s.delivered, 0u);
    EXPECT_TRUE(invalidation_events(engine).empty());
}

TEST(InvalidationBus, ATagIndexServesOneSubscriptionOnly) {
    Engine engine({.workers = 2});
    LocalCache a(engine, options("a")), b(engine, options("b"));
    TagIndex tags;
    InvalidationBus bus(engine, {.name = "inv"});
    auto sub_a = bus.subscribe(a, &tags);
    try {
        auto sub_b = bus.subscribe(b, &tags);
        ADD_FAILURE() << "a shared TagIndex was accepted";
    } catch (const rt::InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("already serves the subscription of 'a'"),
                  std::string::npos)
            << e.what();
    }
    sub_a.unsubscribe();
    auto sub_b = bus.subscribe(b, &tags);  // free again
    EXPECT_TRUE(sub_b.active());
}

TEST(InvalidationBus, RefusesAQueueLargerThanAChannelCanBe) {
    Engine engine({.workers = 1});
    EXPECT_THROW(InvalidationBus(engine, {.name = "inv", .queue = size_t(1) << 40}),
                 rt::InvalidArgument);
}

TEST(InvalidationBus, PublishingAfterCloseThrowsAClearError) {
    TwoCaches t;
    t.fill();
    t.bus.close();
    t.bus.close();  // idempotent
    EXPECT_TRUE(t.bus.closed());
    EXPECT_FALSE(t.sub_a.active());
    auto expect_closed_error = [](const std::exception& e) {
        EXPECT_STREQ(e.what(), "invalidation bus 'inv': publish after close");
    };
    try {
        t.bus.publish_blocking(Invalidation::key("user:1", "late"));
        ADD_FAILURE() << "publish_blocking after close returned";
    } catch (const rt::UsageError& e) {
        expect_closed_error(e);
    }
    bool thrown = false;
    run_task(t.engine, [&]() -> Task<> {
        try {
            co_await t.bus.publish(Invalidation::key("user:1", "late"));
        } catch (const rt::UsageError& e) {
            expect_closed_error(e);
            thrown = true;
        }
    });
    EXPECT_TRUE(thrown);
    EXPECT_THROW((void)t.bus.subscribe(t.a), rt::UsageError);
    EXPECT_EQ(t.bus.stats().published, 0u);
    EXPECT_TRUE(t.a.peek("user:1"));
}

TEST(InvalidationBus, CloseAppliesWhatIsQueuedThenTheDeliveryTasksEnd) {
    TwoCaches t;
    t.fill();
    for (const char* k : TwoCaches::keys) t.bus.publish_blocking(Invalidation::key(k, "test"));
    t.bus.close();
    t.bus.flush_blocking();  // after close: waits for the delivery tasks to end
    EXPECT_EQ(t.a.size(), 0u);
    EXPECT_EQ(t.b.size(), 0u);
    EXPECT_EQ(t.bus.stats().delivered, 2 * TwoCaches::keys.size());
    EXPECT_TRUE(t.bus.stats().per_subscriber.empty());
    EXPECT_TRUE(eventually([&] { return tasks_named(t.engine, "inv") == 0; }));
}

TEST(InvalidationBus, CloseLetsAPublisherWaitingForRoomGo) {
    Engine engine({.workers = 2});
    Gate gate;
    LocalCache slow(engine, options("slow"), gate.listener());
    InvalidationBus bus(engine, {.name = "inv", .queue = 1});
    auto sub = bus.subscribe(slow);
    for (const char* k : {"k1", "k2", "k3"}) slow.set(k, "v");
    bus.publish_blocking(Invalidation::key("k1", "writer"));
    gate.wait_entered();
    bus.publish_blocking(Invalidation::key("k2", "writer"));
    auto publisher = engine.spawn(
        "publisher", [&]() -> Task<> { co_await bus.publish(Invalidation::key("k3", "writer")); });
    ASSERT_TRUE(eventually([&] {
        auto snap = engine.snapshot();
        for (const auto& task : snap->tasks)
            if (task.name == "publisher") return task.reason == rt::WaitReason::send;
        return false;
    }));
    bus.close();
    publisher.wait();  // returns (k3 missed the closed queue) rather than hanging
    gate.release();
    bus.flush_blocking();
    EXPECT_FALSE(slow.peek("k1"));
    EXPECT_FALSE(slow.peek("k2"));  // queued before close: applied
    EXPECT_TRUE(slow.peek("k3"));
}

TEST(InvalidationBus, DestroyingTheBusLeavesNoTaskBehind) {
    Engine engine({.workers = 2});
    LocalCache a(engine, options("a"));
    {
        Subscription sub;
        {
            InvalidationBus bus(engine, {.name = "inv"});
            sub = bus.subscribe(a);
            a.set("k", "v");
            bus.publish_blocking(Invalidation::key("k", "test"));
        }  // closed with the invalidation perhaps still queued: it is applied
        EXPECT_FALSE(sub.active());
        EXPECT_TRUE(eventually([&] { return tasks_named(engine, "inv") == 0; }));
    }
    EXPECT_FALSE(a.peek("k"));
}

// ---- versioned namespaces ---------------------------------------------------------------------

TEST(VersionedNamespace, ABumpMakesEveryOldKeyMissWithoutTouchingTheCache) {
    Engine engine({.workers = 1});
    LocalCache cache(engine, options("c"));
    VersionedNamespace users(&engine, "users");
    EXPECT_EQ(users.version(), 1u);
    EXPECT_EQ(users.key("42"), "users:v1:42");
    for (const char* k : {"1", "2", "42"}) cache.set(users.key(k), "v");
    invalidation_events(engine);

    std::string old_key = users.key("42");
    EXPECT_EQ(users.bump("migration"), 2u);
    EXPECT_EQ(users.version(), 2u);
    EXPECT_EQ(users.key("42"), "users:v2:42");
    EXPECT_NE(users.key("42"), old_key);
    for (const char* k : {"1", "2", "42"}) EXPECT_FALSE(cache.get(users.key(k))) << k;
    EXPECT_EQ(cache.size(), 3u);  // the old entries are still there, unreachable
    EXPECT_TRUE(cache.peek(old_key));
    EXPECT_EQ(cache.stats().removed(RemovalCause::invalidated), 0u);

    auto events = engine.telemetry().cache_events().take_recent();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, CacheEvent::Kind::version_bump);
    EXPECT_EQ(events[0].cause, "version");
    EXPECT_EQ(events[0].subject, "users");
    EXPECT_EQ(events[0].source, "migration");
    EXPECT_EQ(events[0].cache_id, 0u);
}

TEST(VersionedNamespace, NamespacesAreIndependentAndWorkWithoutAnEngine) {
    VersionedNamespace users(nullptr, "users"), orders(nullptr, "orders");
    users.bump("test");
    EXPECT_EQ(users.key("1"), "users:v2:1");
    EXPECT_EQ(orders.key("1"), "orders:v1:1");
    EXPECT_THROW(VersionedNamespace(nullptr, ""), rt::InvalidArgument);
}

TEST(VersionedNamespace, ConcurrentBumpsFromManyTasksAllCount) {
    Engine engine({.workers = 2});
    VersionedNamespace ns(&engine, "ns");
    constexpr int tasks = 16, bumps = 250;
    std::atomic<int> bad_keys{0};
    rt::WaitGroup wg;
    wg.add(tasks);
    for (int i = 0; i < tasks; ++i) {
        engine.go("bumper", [&, i]() -> Task<> {
            for (int j = 0; j < bumps; ++j) {
                ns.bump("task " + std::to_string(i));
                std::string k = ns.key("x");  // always whole, whatever version it caught
                if (!k.starts_with("ns:v") || !k.ends_with(":x")) bad_keys.fetch_add(1);
                if (j % 16 == 0) co_await rt::yield_now();
            }
            wg.done();
        });
    }
    wg.wait_blocking();
    EXPECT_EQ(ns.version(), uint64_t(1 + tasks * bumps));
    EXPECT_EQ(bad_keys.load(), 0);
    size_t bumps_logged = 0;
    for (const auto& e : engine.telemetry().cache_events().take_recent())
        bumps_logged += e.kind == CacheEvent::Kind::version_bump;
    EXPECT_EQ(bumps_logged, size_t(tasks * bumps));
}

// ---- everything at once (also run under tsan) -------------------------------------------------

// Publishers (by key, prefix and tag) race readers and writers of the caches, and a third cache
// subscribes and unsubscribes throughout — each time destroyed right after unsubscribing, so a
// delivery that touched it late would be a use after free. Small queues make publishers park.
TEST(InvalidationBus, ConcurrentPublishersReadersWritersAndSubscribersStayConsistent) {
    Engine engine({.workers = 2});
    LocalCache a(engine, options("a")), b(engine, options("b"));
    TagIndex tags_a, tags_b;
    InvalidationBus bus(engine, {.name = "inv", .queue = 4});
    auto sub_a = bus.subscribe(a, &tags_a);
    auto sub_b = bus.subscribe(b, &tags_b);

    constexpr int publishers = 4, per_publisher = 300, writers = 4, ops = 2000, churns = 50;
    auto key = [](int i) { return "user:" + std::to_string(i % 64); };
    auto tag = [](int i) { return "team:" + std::to_string(i % 8); };
    rt::WaitGroup wg;
    wg.add(publishers + writers + 1);
    for (int p = 0; p < publishers; ++p) {
        engine.go("publisher", [&, p]() -> Task<> {
            for (int i = 0; i < per_publisher; ++i) {
                int n = p * per_publisher + i;
                switch (n % 3) {
                    case 0:
                        co_await bus.publish(Invalidation::key(key(n), "p"));
                        break;
                    case 1:
                        co_await bus.publish(
                            Invalidation::prefix("user:" + std::to_string(n % 10), "p"));
                        break;
                    default:
                        co_await bus.publish(Invalidation::tag(tag(n), "p"));
                }
            }
            wg.done();
        });
    }
    for (int w = 0; w < writers; ++w) {
        engine.go("writer", [&, w]() -> Task<> {
            for (int i = 0; i < ops; ++i) {
                int n = w * ops + i;
                LocalCache& c = n % 2 ? a : b;
                TagIndex& tags = n % 2 ? tags_a : tags_b;
                c.set(key(n), "v");
                tags.tag(key(n), {tag(n)});
                (void)c.get(key(n + 1));
                if (i % 32 == 0) co_await rt::yield_now();
            }
            wg.done();
        });
    }
    engine.go("churner", [&]() -> Task<> {
        for (int i = 0; i < churns; ++i) {
            auto c = std::make_unique<LocalCache>(engine, options("churn"));
            for (int k = 0; k < 16; ++k) c->set(key(k), "v");
            auto sub = bus.subscribe(*c);
            co_await rt::yield_now();
            (void)c->get(key(i));
            sub.unsubscribe();
            c.reset();  // the bus must not touch it any more
        }
        wg.done();
    });
    wg.wait_blocking();
    bus.flush_blocking();

    auto s = bus.stats();
    EXPECT_EQ(s.published, uint64_t(publishers * per_publisher));
    EXPECT_EQ(stats_of(s, "a").applied, s.published);
    EXPECT_EQ(stats_of(s, "b").applied, s.published);
    EXPECT_EQ(stats_of(s, "a").failed + stats_of(s, "b").failed, 0u);
    // Every event is one application to a cache that was subscribed.
    auto events = invalidation_events(engine);
    size_t to_ab = 0;
    for (const auto& e : events) to_ab += e.cache == "a" || e.cache == "b";
    EXPECT_EQ(to_ab, 2 * s.published);
    EXPECT_EQ(events.size(), s.delivered);  // the churned caches' ones included
    EXPECT_EQ(engine.telemetry().cache_events().dropped(), 0u);

    // Quiet now: one more invalidation of everything must leave both caches empty.
    bus.publish_blocking(Invalidation::prefix("", "final"));
    bus.flush_blocking();
    EXPECT_EQ(a.size(), 0u);
    EXPECT_EQ(b.size(), 0u);
}

}  // namespace
}  // namespace cs::test
