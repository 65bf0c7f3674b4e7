// rate_limit: forwards no faster than a token bucket (patterns::run_rate_limited); rate and
// burst change live.
#include "patterns/rate_limited_stage.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

using patterns::Item;

class RateLimitNode final : public ChannelInputNode {
  public:
    RateLimitNode(NodeEnv& env, const NodeSpec& spec)
        : ChannelInputNode(env, spec),
          m_limiter(std::make_shared<rt::RateLimiter>(spec.number("rate"), spec.integer("burst"),
                                                      spec.name)) {}

    void start() override {
        forward_all(patterns::run_rate_limited(m_env.engine, m_input, m_limiter,
                                               size_t(m_spec.integer("queue")), name() + " pacer",
                                               m_env.ctx, m_counters));
    }

    void set_param(const std::string& param, const ParamValue& value) override {
        if (param == "rate") return m_limiter->set_limit(std::get<double>(value));
        if (param == "burst") return m_limiter->set_burst(std::get<int64_t>(value));
        Node::set_param(param, value);
    }

    std::vector<Gauge> gauges() const override {
        auto g = ChannelInputNode::gauges();
        g.push_back(
            {"tokens", size_t(std::max(0.0, m_limiter->tokens())), size_t(m_limiter->burst())});
        return g;
    }

    void fill_report(NodeReport& r, rt::Duration) const override {
        r.counters = {{"in", m_counters->in.load()},
                      {"out", m_counters->out.load()},
                      {"waited", m_limiter->waited()}};
        r.output = m_counters->out.load();
    }

  private:
    std::shared_ptr<rt::RateLimiter> m_limiter;
    std::shared_ptr<patterns::StageCounters> m_counters =
        std::make_shared<patterns::StageCounters>();
};

}  // namespace

std::unique_ptr<Node> make_rate_limit_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<RateLimitNode>(env, spec);
}

}  // namespace cs::scenario
