// Invalidation by version (namespaces), on a real engine: events in the engine's cache event log.
#include <gtest/gtest.h>

#include "../engine/test_support.h"
#include "cache/local_cache.h"
#include "cache/versioned_namespace.h"
#include "runtime/errors.h"

namespace cs::test {
namespace {

using cache::LocalCache;
using cache::LocalCacheOptions;
using cache::RemovalCause;
using cache::VersionedNamespace;
using telemetry::CacheEvent;

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

}  // namespace
}  // namespace cs::test
