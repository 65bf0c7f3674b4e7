// cache: an application's cache in front of an origin node. Each item is one request for a key
// drawn from a Zipf distribution (the same item sequence number gives the same key and the same
// read/write choice, so caches side by side see the same workload); reads and writes go through
// the chosen pattern. The tier is local, Redis (shared by every cache node on the same origin:
// keys are "<origin>:<key>") or a near cache of both. Reports hit ratio, origin loads, stale
// reads and request latency.
#include <memory>

#include "cache/cache_aside.h"
#include "cache/invalidation_bus.h"
#include "cache/key_hash.h"
#include "cache/loading_cache.h"
#include "cache/local_cache.h"
#include "cache/local_tier.h"
#include "cache/policy_simulator.h"
#include "cache/write_behind.h"
#include "cache/write_through.h"
#include "cache/zipf_sampler.h"
#include "patterns/stage.h"
#include "redis/near_cache.h"
#include "redis/partitioned_redis.h"
#include "redis/redis_cache.h"
#include "scenario/nodes/nodes.h"
#include "scenario/nodes/origin_node.h"
#include "scenario/redis_access.h"

namespace cs::scenario {
namespace {

using patterns::Item;

// How a write reaches the other caches: not at all (they wait for the TTL), as an event on the
// origin's change feed, or by bumping the origin's namespace version.
enum class Invalidation : int { ttl, event, version };
Invalidation invalidation_of(const std::string& s) {
    if (s == "event") return Invalidation::event;
    if (s == "version") return Invalidation::version;
    return Invalidation::ttl;
}

cache::LocalCacheOptions local_options(const NodeSpec& spec) {
    return {.name = spec.name,
            .capacity = uint64_t(spec.integer("capacity")),
            .policy = *cache::policy_kind_named(spec.text("policy")),  // the schema's choices
            .default_ttl = spec.duration("ttl"),
            .shards = 1};  // exact capacity and policy order: what the lesson shows
}

class CacheNode final : public ChannelInputNode {
  public:
    CacheNode(NodeEnv& env, const NodeSpec& spec)
        : ChannelInputNode(env, spec),
          m_pattern(spec.text("pattern")),
          m_write_ratio(spec.number("write_ratio")),
          m_workload(workload_seed(env, spec)) {
        make_tier();
    }

    void start() override {
        m_origin = &origin_named(m_env, m_spec.text("origin"));
        set_invalidation(invalidation_of(m_spec.text("invalidation")));
        m_zipf = std::make_unique<cache::ZipfSampler>(m_origin->keys(), m_spec.number("skew"));
        if (m_pattern == "read_through")
            m_loader = std::make_unique<cache::LoadingCache>(
                m_env.engine, *m_tier, m_origin->db(),
                cache::LoadingCacheOptions{
                    .name = name(),
                    .ttl = m_spec.duration("ttl"),
                    .protection =
                        *cache::stampede_protection_named(m_spec.text("protection")),
                    .refresh_ahead = m_spec.duration("refresh_ahead"),
                    .serve_stale_for = m_spec.duration("serve_stale_for"),
                    .seed = m_env.seed,
                    .cache_key = [this](const std::string& key) { return cache_key(key); }});
        if (m_pattern == "write_through")
            m_write_through = std::make_unique<cache::WriteThrough>(*m_tier, m_origin->db());
        if (m_pattern == "write_behind")
            m_write_behind = std::make_unique<cache::WriteBehind>(
                m_env.engine, *m_tier, m_origin->db(),
                cache::WriteBehindOptions{
                    .name = name(),
                    .queue_capacity = size_t(m_spec.integer("write_queue")),
                    .batch_size = size_t(m_spec.integer("batch_size")),
                    .flush_interval = m_spec.duration("flush_interval"),
                    .seed = m_env.seed});
        rt::Chan<Item> out = patterns::run_stage(
            m_env.engine, m_input,
            {.name = name(), .workers = int(m_spec.integer("workers")), .capacity = 0},
            [this](Item& item, const rt::Context&) { return serve(item); }, m_env.ctx,
            m_counters);
        forward_all(out);
    }

    // The application stops: its background tasks end, so that the run can finish — the
    // janitor, the change-feed subscription, and the write-behind flusher once it has flushed
    // every acknowledged write (or the run is cancelled).
    void output_done() override {
        if (m_local) m_local->stop_janitor();
        {
            std::lock_guard lock(m_subscription_mu);
            m_subscription.unsubscribe();
        }
        if (!m_write_behind) return Node::output_done();
        m_env.engine.go(name() + " shutdown", [this]() -> rt::Task<> {
            cache::WriteBehindReport report = co_await m_write_behind->shutdown(true, m_env.ctx);
            m_unflushed.store(report.left);
            Node::output_done();
        });
    }

    void set_param(const std::string& param, const ParamValue& value) override {
        if (param == "write_ratio") return m_write_ratio.store(std::get<double>(value));
        if (param == "ttl") {
            auto ttl = std::get<rt::Duration>(value);
            if (m_loader) m_loader->set_ttl(ttl);  // first: it may refuse (<= refresh_ahead)
            if (m_local) m_local->set_default_ttl(ttl);
            return;
        }
        if (param == "invalidation")
            return set_invalidation(invalidation_of(std::get<std::string>(value)));
        if (param == "redis_nodes" && m_ring) return set_ring_size(size_t(std::get<int64_t>(value)));
        if (param == "protection" && m_loader)
            return m_loader->set_protection(
                *cache::stampede_protection_named(std::get<std::string>(value)));
        Node::set_param(param, value);
    }

    void fill_report(NodeReport& r, rt::Duration) const override {
        cache::CacheStats s = m_tier->tier_stats();
        r.counters = {{"requests", m_counters->in.load()},
                      {"reads", m_reads.load()},
                      {"writes", m_writes.load()},
                      {"failed", m_counters->failed.load()},
                      {"hits", s.hits},
                      {"misses", s.misses},
                      {"origin_loads", s.loads},
                      {"stale_reads", m_stale_reads.load()},
                      {"stale_served", s.stale_served},
                      {"evicted_size", s.removed(cache::RemovalCause::size)},
                      {"expired", s.removed(cache::RemovalCause::expired)},
                      {"invalidated", s.removed(cache::RemovalCause::invalidated)}};
        if (m_write_behind) {
            cache::WriteBehindStats w = m_write_behind->stats();
            r.counters.push_back({"acknowledged", w.acknowledged});
            r.counters.push_back({"coalesced", w.coalesced});
            r.counters.push_back({"batches", w.batches});
            r.counters.push_back({"rows_written", w.rows_written});
            r.counters.push_back({"batch_retries", w.retries});
            r.counters.push_back({"pending", w.pending});
            r.counters.push_back({"unflushed", m_unflushed.load()});
        }
        if (m_loader) {
            cache::LoadingStats l = m_loader->stats();
            r.counters.push_back({"shared_loads", l.shared_loads});
            r.counters.push_back({"early_recomputes", l.early_recomputes});
            r.counters.push_back({"background_refreshes", l.background_refreshes});
        }
        if (m_near) {
            redis::NearCacheCounters n = m_near->counters();
            r.counters.push_back({"l1_hits", n.l1_hits});
            r.counters.push_back({"l2_hits", n.l2_hits});
            r.counters.push_back({"tracking_invalidations", n.invalidations});
            r.counters.push_back({"l1_evicted", n.evicted});
            r.counters.push_back({"l1_flushes", n.flushes});
            r.counters.push_back({"fills_dropped", n.fills_dropped});
        }
        if (m_ring) {
            // The share of the origin's keys each server owns now: what moved when one joined.
            std::vector<std::string> keys;
            for (uint64_t i = 0; i < m_origin->keys(); ++i)
                keys.push_back(m_spec.text("origin") + ":" + OriginNode::key_name(i));
            std::vector<redis::NodeKeyCount> owned = m_ring->key_counts(keys);
            r.counters.push_back({"redis_nodes", owned.size()});
            for (size_t i = 0; i < owned.size(); ++i)
                r.counters.push_back({"keys_on_node_" + std::to_string(i + 1), owned[i].keys});
        }
        r.ratios = {{"hit_ratio", s.hit_ratio()}};
        r.output = m_counters->out.load();
        r.latency = m_counters->latency.summary();
        r.latency_of = "request";
    }

  private:
    // The tier the patterns sit on. Redis keys carry the origin's name: caches of one origin
    // share them, as applications sharing a Redis do.
    void make_tier() {
        const std::string tier = m_spec.text("tier");
        if (tier == "local") {
            m_local = std::make_unique<cache::LocalCache>(m_env.engine, local_options(m_spec));
            m_local_tier = std::make_unique<cache::LocalTier>(*m_local);
            m_tier = m_local_tier.get();
            return;
        }
        const std::string prefix = m_spec.text("origin") + ":";
        if (tier == "partitioned") {
            std::vector<redis::RedisUrl> servers;
            for (int64_t i = 0; i < m_spec.integer("redis_nodes"); ++i)
                servers.push_back(m_env.redis->node(size_t(i)));
            m_ring = std::make_unique<redis::PartitionedRedis>(servers);
        }
        if (tier == "redis" || tier == "partitioned") {
            redis::RedisRouter& router =
                m_ring ? static_cast<redis::RedisRouter&>(*m_ring) : m_env.redis->router();
            m_redis = std::make_unique<redis::RedisCache>(
                m_env.engine, router,
                redis::RedisCacheOptions{.name = name(),
                                         .key_prefix = prefix,
                                         .default_ttl = m_spec.duration("ttl")});
            m_tier = m_redis.get();
            return;
        }
        if (m_env.redis->is_cluster())
            throw RedisUnavailable(
                name() + ": tier \"near\" needs a single Redis server (Redis tracks a client's keys "
                "per server), and --redis names a node of a Redis Cluster: use tier \"redis\", "
                "which runs over a cluster, or give a single server");
        m_near = std::make_unique<redis::NearCache>(
            m_env.engine, m_env.redis->url(),
            redis::NearCacheOptions{.name = name(),
                                    .l1_capacity = uint64_t(m_spec.integer("capacity")),
                                    .l1_policy = *cache::policy_kind_named(m_spec.text("policy")),
                                    .l1_ttl = m_spec.duration("ttl"),
                                    .key_prefix = prefix,
                                    .default_ttl = m_spec.duration("ttl")});
        m_tier = m_near.get();
    }

    // Adds or removes servers at the end of the ring's list: keys move to (or from) them only.
    void set_ring_size(size_t wanted) {
        std::lock_guard lock(m_ring_mu);
        size_t now = m_ring->nodes().size();
        for (; now < wanted; ++now) m_ring->add_node(m_env.redis->node(now));
        for (; now > wanted; --now) m_ring->remove_node(m_env.redis->node(now - 1));
    }

    rt::Task<rt::Status> serve(Item& item) {
        // The item's number decides its key and whether it writes: the same for every cache
        // fed by an equal source.
        rt::Rng draw(cache::mix_hash(m_workload ^ (item.seq * 0x9E3779B97F4A7C15ull)));
        std::string key = OriginNode::key_name(m_zipf->key_for(draw.unit()));
        if (draw.unit() < m_write_ratio.load()) {
            m_writes.fetch_add(1);
            std::string value = "v" + std::to_string(item.id);
            co_await write(key, value);
        } else {
            m_reads.fetch_add(1);
            // Stale: neither the latest write when the read began nor when it ended (a write
            // landing during the read may fairly be seen or not).
            std::string before = m_origin->current_value(key);
            std::optional<std::string> value = co_await read(key);
            if (value && *value != before && *value != m_origin->current_value(key))
                m_stale_reads.fetch_add(1);
        }
        co_return rt::Status::ok;
    }

    rt::Task<std::optional<std::string>> read(std::string key) {
        if (m_loader) co_return (co_await m_loader->get(key)).value;
        co_return co_await cache::cache_aside_get(*m_tier, m_origin->db(), key,
                                                  cache::Ttl::cache_default(), cache_key(key));
    }

    rt::Task<void> write(std::string key, std::string value) {
        if (m_write_through)
            co_await m_write_through->write(key, value);
        else if (m_write_behind)
            co_await m_write_behind->write(key, value);  // acknowledged once queued
        else
            co_await cache::cache_aside_put(*m_tier, m_origin->db(), key, value, cache_key(key));
        m_origin->acknowledge_write(key, value);
        switch (m_invalidation.load()) {
            case Invalidation::ttl:
                break;
            case Invalidation::event: {
                cache::Invalidation changed = cache::Invalidation::key(key, name());
                co_await m_origin->changes().publish(std::move(changed));
                break;
            }
            case Invalidation::version:
                m_origin->versions().bump(name());
                break;
        }
    }

    // The key in the cache: versioned keys carry the origin's namespace version.
    std::string cache_key(const std::string& key) const {
        return m_invalidation.load() == Invalidation::version ? m_origin->versions().key(key)
                                                              : key;
    }

    void set_invalidation(Invalidation mode) {
        std::lock_guard lock(m_subscription_mu);
        m_invalidation.store(mode);
        if (mode == Invalidation::event && m_local && !m_subscription.active())
            m_subscription = m_origin->changes().subscribe(*m_local);
        else if (mode != Invalidation::event)
            m_subscription.unsubscribe();
    }

    // The seed of the item-number-to-request mapping: shared by caches with one workload number.
    static uint64_t workload_seed(const NodeEnv& env, const NodeSpec& spec) {
        int64_t n = spec.integer("workload");
        uint64_t own = n != 0 ? uint64_t(n) : cache::hash_key(spec.name);
        return cache::mix_hash(env.seed ^ cache::mix_hash(own));
    }

    const std::string m_pattern;
    std::atomic<double> m_write_ratio;
    const uint64_t m_workload;
    // One of: a local cache (and its tier), Redis, or a near cache.
    std::unique_ptr<cache::LocalCache> m_local;
    std::unique_ptr<cache::LocalTier> m_local_tier;
    std::unique_ptr<redis::PartitionedRedis> m_ring;  // partitioned: the servers under m_redis
    std::mutex m_ring_mu;                             // one ring change at a time
    std::unique_ptr<redis::RedisCache> m_redis;
    std::unique_ptr<redis::NearCache> m_near;
    cache::CacheTier* m_tier = nullptr;
    OriginNode* m_origin = nullptr;
    std::unique_ptr<cache::ZipfSampler> m_zipf;
    std::unique_ptr<cache::LoadingCache> m_loader;
    std::unique_ptr<cache::WriteThrough> m_write_through;
    std::unique_ptr<cache::WriteBehind> m_write_behind;
    std::atomic<uint64_t> m_unflushed{0};
    std::atomic<Invalidation> m_invalidation{Invalidation::ttl};
    std::mutex m_subscription_mu;
    cache::Subscription m_subscription;
    std::shared_ptr<patterns::StageCounters> m_counters =
        std::make_shared<patterns::StageCounters>();
    std::atomic<uint64_t> m_reads{0}, m_writes{0}, m_stale_reads{0};
};

}  // namespace

std::unique_ptr<Node> make_cache_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<CacheNode>(env, spec);
}

}  // namespace cs::scenario
