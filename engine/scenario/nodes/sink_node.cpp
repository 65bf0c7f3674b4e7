// sink: the end of a line; measures how long items took from their source.
#include "patterns/latency_histogram.h"
#include "patterns/or_done.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

using patterns::Item;

class SinkNode final : public ChannelInputNode {
  public:
    using ChannelInputNode::ChannelInputNode;

    void start() override {
        m_env.engine.go(name(), [this]() -> rt::Task<> {
            while (auto item = co_await patterns::recv_or_done(m_input, m_env.ctx)) {
                m_received.fetch_add(1);
                m_latency.record(m_env.engine.clock().now() - item->created);
            }
        });
    }

    void fill_report(NodeReport& r, rt::Duration) const override {
        r.counters = {{"received", m_received.load()}};
        r.output = m_received.load();
        r.latency = m_latency.summary();
        r.latency_of = "end to end";
    }

  private:
    std::atomic<uint64_t> m_received{0};
    patterns::LatencyHistogram m_latency;
};

}  // namespace

std::unique_ptr<Node> make_sink_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<SinkNode>(env, spec);
}

}  // namespace cs::scenario
