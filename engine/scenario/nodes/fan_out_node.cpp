// fan_out: N branches share the input (patterns::fan_out), merged back by forwarders or by
// one select (patterns::merge / merge_select).
#include <deque>

#include "patterns/fan_in.h"
#include "patterns/fan_out.h"
#include "patterns/latency_histogram.h"
#include "runtime/timers.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

using patterns::Item;

class FanOutNode final : public ChannelInputNode {
  public:
    FanOutNode(NodeEnv& env, const NodeSpec& spec) : ChannelInputNode(env, spec) {
        for (int64_t i = 0; i < spec.integer("workers"); ++i) m_branch_busy_ns.emplace_back(0);
    }

    void start() override {
        size_t capacity = size_t(m_spec.integer("queue"));
        auto branches = patterns::fan_out<Item>(
            m_env.engine, m_input, int(m_spec.integer("workers")), capacity, name() + " branch",
            [this](int branch, Item&, const rt::Context& ctx) -> rt::Task<rt::Status> {
                m_in.fetch_add(1);
                rt::Duration d = sample_work();
                rt::Status st = co_await rt::sleep_for(ctx, d);
                m_branch_busy_ns[size_t(branch)].fetch_add(d.count());
                if (st == rt::Status::ok) m_latency.record(d);
                co_return st;
            },
            m_env.ctx);
        rt::Chan<Item> merged =
            m_spec.text("merge") == "select"
                ? patterns::merge_select(m_env.engine, branches, capacity, name() + " merged",
                                         m_env.ctx)
                : patterns::merge(m_env.engine, branches, capacity, name() + " merged", m_env.ctx);
        forward_all(merged);
    }

    void fill_report(NodeReport& r, rt::Duration elapsed) const override {
        r.counters = {{"in", m_in.load()}, {"out", m_delivered.load()}};
        r.output = m_delivered.load();
        r.latency = m_latency.summary();
        r.latency_of = "item, work time";
        for (const auto& busy : m_branch_busy_ns)
            r.utilization.push_back(utilization(rt::Duration(busy.load()), elapsed));
    }

  private:
    std::atomic<uint64_t> m_in{0};
    std::deque<std::atomic<int64_t>> m_branch_busy_ns;
    patterns::LatencyHistogram m_latency;
};

}  // namespace

std::unique_ptr<Node> make_fan_out_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<FanOutNode>(env, spec);
}

}  // namespace cs::scenario
