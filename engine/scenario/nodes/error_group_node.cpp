// error_group: rounds of N tasks in an ErrorGroup; one of them fails after a while and the
// group's context cancels the rest.
#include <stdexcept>

#include "patterns/error_group.h"
#include "runtime/timers.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

class ErrorGroupNode final : public Node {
  public:
    ErrorGroupNode(NodeEnv& env, const NodeSpec& spec)
        : Node(env, spec), m_fail_after_ns(spec.duration("fail_after").count()) {}

    void start() override {
        m_env.engine.go(name(), [this]() -> rt::Task<> {
            const int64_t tasks = m_spec.integer("tasks");
            const int64_t fail_task = m_spec.integer("fail_task");
            while (!m_env.source_ctx.cancelled()) {
                patterns::ErrorGroup group(m_env.engine, m_env.ctx);
                for (int64_t i = 1; i <= tasks; ++i) {
                    group.go(name() + " task " + std::to_string(i),
                             [this, i, fail_task](const rt::Context& ctx) {
                                 return run_task(i == fail_task, ctx);
                             });
                }
                auto error = co_await group.wait();
                m_rounds.fetch_add(1);
                if (error) {
                    m_failed_rounds.fetch_add(1);
                    std::lock_guard lock(m_mu);
                    m_last_error = error->task + ": " + error->message;
                }
                if (co_await rt::sleep_for(m_env.source_ctx, m_spec.duration("interval")) !=
                    rt::Status::ok)
                    break;
            }
        });
    }

    void set_param(const std::string& param, const ParamValue& value) override {
        if (param == "fail_after")
            return m_fail_after_ns.store(std::get<rt::Duration>(value).count());
        Node::set_param(param, value);
    }

    void fill_report(NodeReport& r, rt::Duration) const override {
        r.counters = {{"rounds", m_rounds.load()},
                      {"failed_rounds", m_failed_rounds.load()},
                      {"completed", m_completed.load()},
                      {"cancelled", m_cancelled.load()},
                      {"failed", m_failed.load()}};
        r.output = m_completed.load();
        std::lock_guard lock(m_mu);
        if (!m_last_error.empty())
            r.notes.push_back("first error of the last failed round: " + m_last_error);
    }

  private:
    rt::Task<rt::Status> run_task(bool fails, const rt::Context& ctx) {
        if (fails) {
            rt::Status st = co_await rt::sleep_for(ctx, rt::Duration(m_fail_after_ns.load()));
            if (st != rt::Status::ok) {
                m_cancelled.fetch_add(1);
                co_return st;
            }
            m_failed.fetch_add(1);
            throw std::runtime_error("simulated failure");
        }
        rt::Status st = co_await rt::sleep_for(ctx, sample_work());
        (st == rt::Status::ok ? m_completed : m_cancelled).fetch_add(1);
        co_return st;
    }

    std::atomic<int64_t> m_fail_after_ns;
    std::atomic<uint64_t> m_rounds{0}, m_failed_rounds{0}, m_completed{0}, m_cancelled{0},
        m_failed{0};
    mutable std::mutex m_mu;
    std::string m_last_error;
};

}  // namespace

std::unique_ptr<Node> make_error_group_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<ErrorGroupNode>(env, spec);
}

}  // namespace cs::scenario
