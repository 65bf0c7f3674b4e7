// pool: a WorkerPool whose jobs take simulated time and fail at a given rate.
#include <stdexcept>

#include "runtime/timers.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {
namespace {

using patterns::Item;
using patterns::SubmitResult;
using patterns::WorkerPool;

patterns::Backpressure backpressure_of(const std::string& s) {
    if (s == "drop_newest") return patterns::Backpressure::drop_newest;
    if (s == "reject") return patterns::Backpressure::reject;
    return patterns::Backpressure::block;
}

class PoolNode final : public Node {
  public:
    PoolNode(NodeEnv& env, const NodeSpec& spec)
        : Node(env, spec),
          m_fail_rate(spec.number("fail_rate")),
          m_pool(
              env.engine,
              {.name = spec.name,
               .workers = int(spec.integer("workers")),
               .queue_capacity = size_t(spec.integer("queue")),
               .backpressure = backpressure_of(spec.text("backpressure")),
               .job_timeout = spec.duration("timeout"),
               .results_capacity = size_t(std::max<int64_t>(spec.integer("queue"), 1))},
              [this](Item& job, const rt::Context& ctx) { return run_job(job, ctx); }, env.ctx) {}

    void start() override { forward_all(m_pool.results()); }

    rt::Task<SubmitResult> accept(int, Item item) override {
        return m_pool.submit(item, m_env.ctx);
    }

    void upstream_done(int) override {
        if (++m_finished_upstreams == m_upstreams) begin_shutdown(patterns::ShutdownMode::drain);
    }
    void on_cancel() override { begin_shutdown(patterns::ShutdownMode::cancel); }

    void set_param(const std::string& param, const ParamValue& value) override {
        if (param == "workers") return m_pool.resize(int(std::get<int64_t>(value)));
        if (param == "fail_rate") return m_fail_rate.store(std::get<double>(value));
        Node::set_param(param, value);
    }

    std::vector<Gauge> gauges() const override {
        auto s = m_pool.stats();
        return {{"queue", s.queued, s.queue_capacity}};
    }

    void fill_report(NodeReport& r, rt::Duration) const override {
        auto s = m_pool.stats();
        r.counters = {{"accepted", s.accepted}, {"dropped", s.dropped},
                      {"rejected", s.rejected}, {"completed", s.completed},
                      {"failed", s.failed},     {"timed_out", s.timed_out},
                      {"left", s.left}};
        r.output = s.completed;
        r.latency = s.latency;
        r.latency_of = "job, accepted to done";
        for (const auto& w : s.per_worker) r.utilization.push_back(utilization(w.busy, w.alive));
        for (const auto& e : s.recent_errors) {
            if (r.notes.size() == 3) break;
            r.notes.push_back("job " + std::to_string(e.job_id) + ": " + e.message);
        }
    }

  private:
    rt::Task<rt::Status> run_job(Item&, const rt::Context& ctx) {
        rt::Status st = co_await rt::sleep_for(ctx, sample_work());
        if (st == rt::Status::ok && chance(m_fail_rate.load()))
            throw std::runtime_error("simulated failure");
        co_return st;
    }

    void begin_shutdown(patterns::ShutdownMode mode) {
        if (m_shutdown_begun.exchange(true)) return;
        m_env.engine.go(name() + " shutdown",
                        [this, mode]() -> rt::Task<> { co_await m_pool.shutdown(mode); });
    }

    std::atomic<double> m_fail_rate;
    std::atomic<int> m_finished_upstreams{0};
    std::atomic<bool> m_shutdown_begun{false};
    WorkerPool m_pool;
};

}  // namespace

std::unique_ptr<Node> make_pool_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<PoolNode>(env, spec);
}

}  // namespace cs::scenario
