// merge: one channel per input, one task selecting over them all; a closed input becomes the
// nil channel (patterns::merge_select).
#include "patterns/fan_in.h"
#include "patterns/or_done.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

using patterns::Item;
using patterns::SubmitResult;

class MergeNode final : public Node {
  public:
    using Node::Node;

    void start() override {
        forward_all(patterns::merge_select(m_env.engine, m_inputs, size_t(m_spec.integer("queue")),
                                           name() + " out", m_env.ctx));
    }

    rt::Task<SubmitResult> accept(int port, Item item) override {
        co_return co_await patterns::send_or_done(m_inputs[size_t(port)], item, m_env.ctx)
            ? SubmitResult::accepted
            : SubmitResult::cancelled;
    }
    void upstream_done(int port) override { m_inputs[size_t(port)].close(); }

    std::vector<Gauge> gauges() const override {
        std::vector<Gauge> g;
        for (size_t i = 0; i < m_inputs.size(); ++i)
            g.push_back({"input " + std::to_string(i), m_inputs[i].len(), m_inputs[i].cap()});
        return g;
    }

    void fill_report(NodeReport& r, rt::Duration) const override {
        r.counters = {{"out", m_delivered.load()}};
        r.output = m_delivered.load();
    }

  protected:
    int add_upstream() override {
        m_inputs.emplace_back(m_spec.integer("queue"),
                              name() + " in " + std::to_string(m_inputs.size()));
        return Node::add_upstream();
    }

  private:
    std::vector<rt::Chan<Item>> m_inputs;
};

}  // namespace

std::unique_ptr<Node> make_merge_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<MergeNode>(env, spec);
}

}  // namespace cs::scenario
