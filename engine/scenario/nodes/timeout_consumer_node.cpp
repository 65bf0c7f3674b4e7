// timeout_consumer: select between the input and a timer — Go's `case <-time.After(d)` — and
// count how often the timer wins.
#include "patterns/latency_histogram.h"
#include "runtime/select.h"
#include "runtime/timers.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

using patterns::Item;

class TimeoutConsumerNode final : public ChannelInputNode {
  public:
    TimeoutConsumerNode(NodeEnv& env, const NodeSpec& spec)
        : ChannelInputNode(env, spec), m_timeout_ns(spec.duration("timeout").count()) {}

    void start() override {
        m_env.engine.go(name(), [this]() -> rt::Task<> {
            for (;;) {
                Item item;
                bool ok = false;
                rt::Timer timer(rt::Duration(m_timeout_ns.load()), name() + " timeout");
                int chosen = co_await rt::select(rt::recv_case(m_input, item, ok),
                                                 rt::recv_case(timer.chan()),
                                                 rt::recv_case(m_env.ctx.done()));
                if (chosen == 2 || (chosen == 0 && !ok)) break;
                if (chosen == 1) {
                    m_timeouts.fetch_add(1);
                    continue;
                }
                timer.stop();
                m_received.fetch_add(1);
                m_latency.record(m_env.engine.clock().now() - item.created);
                if (co_await rt::sleep_for(m_env.ctx, sample_work()) != rt::Status::ok) break;
            }
        });
    }

    void set_param(const std::string& param, const ParamValue& value) override {
        if (param == "timeout") return m_timeout_ns.store(std::get<rt::Duration>(value).count());
        Node::set_param(param, value);
    }

    void fill_report(NodeReport& r, rt::Duration) const override {
        r.counters = {{"received", m_received.load()}, {"timeouts", m_timeouts.load()}};
        r.output = m_received.load();
        r.latency = m_latency.summary();
        r.latency_of = "end to end";
    }

  private:
    std::atomic<int64_t> m_timeout_ns;
    std::atomic<uint64_t> m_received{0}, m_timeouts{0};
    patterns::LatencyHistogram m_latency;
};

}  // namespace

std::unique_ptr<Node> make_timeout_consumer_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<TimeoutConsumerNode>(env, spec);
}

}  // namespace cs::scenario
