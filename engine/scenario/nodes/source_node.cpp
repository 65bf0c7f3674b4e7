// source: produces items through a token bucket (rate, burst), optionally a fixed count.
#include <memory>

#include "runtime/rate_limiter.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

using patterns::Item;
using patterns::SubmitResult;

class SourceNode final : public Node {
  public:
    SourceNode(NodeEnv& env, const NodeSpec& spec)
        : Node(env, spec),
          m_limiter(std::make_shared<rt::RateLimiter>(spec.number("rate"), spec.integer("burst"),
                                                      spec.name + " rate")) {}

    void start() override {
        m_env.engine.go(name(), [this]() -> rt::Task<> {
            const int64_t count = m_spec.integer("count");
            const int64_t max_weight = m_spec.integer("max_weight");
            for (int64_t i = 0; count == 0 || i < count; ++i) {
                if (co_await m_limiter->wait(m_env.source_ctx, 1) != rt::Status::ok) break;
                Item item{.id = m_env.next_item_id.fetch_add(1),
                          .seq = uint64_t(i),
                          .value = i,
                          .weight = max_weight > 1 ? 1 + int64_t(pick(uint32_t(max_weight))) : 1,
                          .created = m_env.engine.clock().now()};
                m_produced.fetch_add(1);
                SubmitResult r = co_await deliver(item);
                if (r == SubmitResult::dropped) m_dropped.fetch_add(1);
                if (r == SubmitResult::rejected) m_rejected.fetch_add(1);
                if (r == SubmitResult::cancelled || r == SubmitResult::closed) break;
            }
            output_done();
        });
    }

    void set_param(const std::string& param, const ParamValue& value) override {
        if (param == "rate") return m_limiter->set_limit(std::get<double>(value));
        if (param == "burst") return m_limiter->set_burst(std::get<int64_t>(value));
        Node::set_param(param, value);
    }

    void fill_report(NodeReport& r, rt::Duration) const override {
        r.counters = {{"produced", m_produced.load()},
                      {"accepted", m_delivered.load()},
                      {"dropped", m_dropped.load()},
                      {"rejected", m_rejected.load()}};
        r.output = m_delivered.load();
    }

  private:
    uint32_t pick(uint32_t n) {
        std::lock_guard lock(m_pick_mu);
        return m_pick.below(n);
    }

    std::shared_ptr<rt::RateLimiter> m_limiter;
    std::atomic<uint64_t> m_produced{0}, m_dropped{0}, m_rejected{0};
    std::mutex m_pick_mu;
    rt::Rng m_pick{m_env.seed + 1};
};

}  // namespace

std::unique_ptr<Node> make_source_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<SourceNode>(env, spec);
}

}  // namespace cs::scenario
