// stage: a pipeline stage (patterns::run_stage) doing simulated work, ordered or not.
#include "patterns/stage.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

using patterns::Item;

class StageNode final : public ChannelInputNode {
  public:
    using ChannelInputNode::ChannelInputNode;

    void start() override {
        rt::Chan<Item> out = patterns::run_stage(m_env.engine, m_input,
                                                 {.name = name(),
                                                  .workers = int(m_spec.integer("workers")),
                                                  .capacity = size_t(m_spec.integer("queue")),
                                                  .ordered = m_spec.boolean("ordered")},
                                                 simulated_work(), m_env.ctx, m_counters);
        forward_all(out);
    }

    void fill_report(NodeReport& r, rt::Duration elapsed) const override {
        report_stage_counters(*m_counters, r);
        for (const auto& busy : m_counters->worker_busy_ns)
            r.utilization.push_back(utilization(rt::Duration(busy.load()), elapsed));
    }

  private:
    std::shared_ptr<patterns::StageCounters> m_counters =
        std::make_shared<patterns::StageCounters>();
};

}  // namespace

std::unique_ptr<Node> make_stage_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<StageNode>(env, spec);
}

}  // namespace cs::scenario
