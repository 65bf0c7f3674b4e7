#pragma once
// origin: a real SQLite database behind a scenario's caches, with a live latency, error rate
// and outage switch. It also knows the truth — the last acknowledged write of every key — so
// a cache can tell when it served a value that was no longer current (a stale read). Its change
// feed is an invalidation bus its caches may subscribe to, and its version namespace is what
// caches using version-based invalidation put in their keys.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cache/invalidation_bus.h"
#include "cache/sqlite_origin.h"
#include "cache/versioned_namespace.h"
#include "scenario/node.h"

namespace cs::scenario {

class OriginNode final : public Node {
  public:
    OriginNode(NodeEnv& env, const NodeSpec& spec);

    void start() override {}
    void set_param(const std::string& param, const ParamValue& value) override;
    void fill_report(NodeReport& report, rt::Duration elapsed) const override;

    cache::SqliteOrigin& db() noexcept { return *m_db; }
    cache::InvalidationBus& changes() noexcept { return m_changes; }
    cache::VersionedNamespace& versions() noexcept { return m_versions; }
    uint64_t keys() const noexcept { return m_keys; }
    static std::string key_name(uint64_t i) { return "item:" + std::to_string(i); }

    // The truth: what the latest acknowledged write of `key` stored ("v0" if never written).
    void acknowledge_write(const std::string& key, const std::string& value);
    std::string current_value(const std::string& key) const;

  private:
    const uint64_t m_keys;
    std::unique_ptr<cache::SqliteOrigin> m_db;
    cache::InvalidationBus m_changes;
    cache::VersionedNamespace m_versions;
    mutable std::mutex m_truth_mu;
    std::map<std::string, std::string> m_truth;  // keys written during the run
};

// The origin node a parameter names, checked by the loader to exist and be an origin.
OriginNode& origin_named(NodeEnv& env, const std::string& name);

}  // namespace cs::scenario
