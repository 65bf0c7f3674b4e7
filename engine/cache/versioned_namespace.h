#pragma once
// VersionedNamespace: invalidation by version. Every key of the namespace is written with the
// namespace's current version in it ("users:v3:42"); bumping the version makes every older key
// unreachable at once — nothing is scanned or removed. The old entries stay in the cache until
// their time to live or the eviction policy takes them, which is the price of an O(1)
// invalidation of any number of keys.
//
//   VersionedNamespace users(&engine, "users");
//   cache.set(users.key("42"), "Ada");          // "users:v1:42"
//   users.bump("schema migration");             // "users:v1:*" is now unreachable
//   cache.get(users.key("42"));                 // "users:v2:42": a miss
//
// A key built just before a concurrent bump carries the old version: a read with it may still
// hit the old entry, as a read that started before the bump would. Thread-safe.
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace cs {
class Engine;
}

namespace cs::cache {

class VersionedNamespace {
  public:
    // With an engine, every bump is a version_bump event of its cache event log; with nullptr,
    // a namespace on its own. The name must not be empty. Versions start at 1.
    VersionedNamespace(Engine* engine, std::string name);

    // The key `k` of the namespace at the current version: "<name>:v<version>:<k>".
    std::string key(std::string_view k) const;
    uint64_t version() const noexcept { return m_version.load(std::memory_order_acquire); }
    // Moves to the next version; `source` (who asked) goes to the event. Returns the new version.
    uint64_t bump(std::string source);

    const std::string& name() const noexcept { return m_name; }

  private:
    Engine* const m_engine;
    const std::string m_name;
    std::atomic<uint64_t> m_version{1};
};

}  // namespace cs::cache
