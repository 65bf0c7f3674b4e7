// bounded: a task per item under a weighted semaphore (patterns::run_bounded).
#include "patterns/bounded_parallelism.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

using patterns::Item;

class BoundedNode final : public ChannelInputNode {
  public:
    BoundedNode(NodeEnv& env, const NodeSpec& spec)
        : ChannelInputNode(env, spec),
          m_semaphore(
              std::make_shared<rt::Semaphore>(spec.integer("limit"), spec.name + " budget")) {}

    void start() override {
        forward_all(patterns::run_bounded(m_env.engine, m_input, m_semaphore,
                                          size_t(m_spec.integer("queue")), name(), simulated_work(),
                                          m_env.ctx, m_counters));
    }

    std::vector<Gauge> gauges() const override {
        auto g = ChannelInputNode::gauges();
        g.push_back({"semaphore", size_t(m_semaphore->held()), size_t(m_semaphore->size())});
        return g;
    }

    void fill_report(NodeReport& r, rt::Duration) const override {
        report_stage_counters(*m_counters, r);
    }

  private:
    std::shared_ptr<rt::Semaphore> m_semaphore;
    std::shared_ptr<patterns::StageCounters> m_counters =
        std::make_shared<patterns::StageCounters>();
};

}  // namespace

std::unique_ptr<Node> make_bounded_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<BoundedNode>(env, spec);
}

}  // namespace cs::scenario
