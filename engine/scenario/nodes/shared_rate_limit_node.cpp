// shared_rate_limit: an API gateway's limit shared through Redis — each item is a request that
// asks the distributed limiter (GCRA in a Lua script on the server) for a token under `key`;
// allowed requests go on, denied ones are refused at once (an HTTP 429) with the limiter's
// retry-after. Several nodes with the same key stand for several processes sharing one limit.
// Redis measures real seconds: slow motion does not slow the shared limit.
#include <mutex>

#include "patterns/latency_histogram.h"
#include "patterns/stage.h"
#include "redis/distributed_rate_limiter.h"
#include "redis/redis_error.h"
#include "scenario/nodes/nodes.h"
#include "scenario/redis_access.h"

namespace cs::scenario {
namespace {

using patterns::Item;

class SharedRateLimitNode final : public ChannelInputNode {
  public:
    SharedRateLimitNode(NodeEnv& env, const NodeSpec& spec)
        : ChannelInputNode(env, spec),
          m_key(spec.text("key")),
          m_limiter(make_limiter(spec.number("rate"), spec.integer("burst"))) {}

    void start() override {
        rt::Chan<Item> out = patterns::run_stage(
            m_env.engine, m_input,
            {.name = name(), .workers = int(m_spec.integer("workers")), .capacity = 0},
            [this](Item&, const rt::Context&) { return ask(); }, m_env.ctx, m_counters);
        forward_all(out);
    }

    void set_param(const std::string& param, const ParamValue& value) override {
        std::lock_guard lock(m_mu);
        if (param == "rate") {
            m_rate = std::get<double>(value);
            m_limiter = make_limiter(m_rate, m_burst);
            return;
        }
        if (param == "burst") {
            m_burst = std::get<int64_t>(value);
            m_limiter = make_limiter(m_rate, m_burst);
            return;
        }
        Node::set_param(param, value);
    }

    void fill_report(NodeReport& r, rt::Duration) const override {
        uint64_t allowed = m_allowed.load(), denied = m_denied.load();
        r.counters = {{"requests", m_counters->in.load()},
                      {"allowed", allowed},
                      {"denied", denied},
                      {"remaining", uint64_t(std::max<int64_t>(0, m_remaining.load()))},
                      {"redis_errors", m_errors.load()}};
        r.ratios = {{"allowed_ratio", allowed + denied ? double(allowed) / double(allowed + denied)
                                                       : 0.0}};
        r.output = m_counters->out.load();
        r.latency = m_retry_after.summary();
        r.latency_of = "retry-after of denied requests";
    }

  private:
    std::shared_ptr<redis::DistributedRateLimiter> make_limiter(double rate, int64_t burst) {
        m_rate = rate;
        m_burst = burst;
        return std::make_shared<redis::DistributedRateLimiter>(
            m_env.redis->router(),
            redis::DistributedRateLimiterOptions{
                .rate = rate, .burst = burst, .key_prefix = "chanscope:ratelimit:"});
    }

    rt::Task<rt::Status> ask() {
        std::shared_ptr<redis::DistributedRateLimiter> limiter;
        {
            std::lock_guard lock(m_mu);
            limiter = m_limiter;
        }
        redis::RateLimitResult r;
        try {
            r = co_await limiter->allow(m_key);
        } catch (const redis::RedisError&) {
            m_errors.fetch_add(1);
            co_return rt::Status::cancelled;
        }
        m_remaining.store(r.remaining);
        if (r.allowed) {
            m_allowed.fetch_add(1);
            co_return rt::Status::ok;
        }
        m_denied.fetch_add(1);
        m_retry_after.record(std::chrono::duration_cast<rt::Duration>(r.retry_after));
        co_return rt::Status::would_exceed_deadline;  // refused now: a 429, not a wait
    }

    const std::string m_key;
    std::mutex m_mu;  // guards the limiter and its settings (replaced by a live change)
    double m_rate = 0;
    int64_t m_burst = 0;
    std::shared_ptr<redis::DistributedRateLimiter> m_limiter;
    std::atomic<uint64_t> m_allowed{0}, m_denied{0}, m_errors{0};
    std::atomic<int64_t> m_remaining{0};
    patterns::LatencyHistogram m_retry_after;
    std::shared_ptr<patterns::StageCounters> m_counters =
        std::make_shared<patterns::StageCounters>();
};

}  // namespace

std::unique_ptr<Node> make_shared_rate_limit_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<SharedRateLimitNode>(env, spec);
}

}  // namespace cs::scenario
