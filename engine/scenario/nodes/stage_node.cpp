// stage: a pipeline stage (patterns::run_stage) doing simulated work, ordered or not.
#include "patterns/stage.h"
#include "runtime/timers.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

using patterns::Item;

class StageNode final : public ChannelInputNode {
  public:
    using ChannelInputNode::ChannelInputNode;

    void start() override {
        m_started = m_env.engine.clock().now();
        rt::Chan<Item> out = patterns::run_stage(
            m_env.engine, m_input,
            {.name = name(),
             .workers = int(m_spec.integer("workers")),
             .capacity = size_t(m_spec.integer("queue")),
             .ordered = m_spec.boolean("ordered")},
            [this](Item&, const rt::Context& ctx) { return rt::sleep_for(ctx, sample_work()); },
            m_env.ctx, m_counters);
        forward_all(out);
    }

    void fill_report(NodeReport& r, rt::Duration elapsed) const override {
        r.counters = {{"in", m_counters->in.load()},
                      {"out", m_counters->out.load()},
                      {"failed", m_counters->failed.load()}};
        r.output = m_counters->out.load();
        r.latency = m_counters->latency.summary();
        r.latency_of = "item, work time";
        for (const auto& busy : m_counters->worker_busy_ns)
            r.utilization.push_back(utilization(rt::Duration(busy.load()), elapsed));
    }

  private:
    std::shared_ptr<patterns::StageCounters> m_counters =
        std::make_shared<patterns::StageCounters>();
    rt::TimePoint m_started{};
};

}  // namespace

std::unique_ptr<Node> make_stage_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<StageNode>(env, spec);
}

}  // namespace cs::scenario
