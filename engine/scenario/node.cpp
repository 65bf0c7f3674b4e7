#include "scenario/node.h"

#include <algorithm>
#include <functional>

#include "patterns/or_done.h"
#include "runtime/errors.h"
#include "runtime/timers.h"

namespace cs::scenario {

using patterns::Item;
using patterns::SubmitResult;
using rt::Task;

Node::Node(NodeEnv& env, const NodeSpec& spec)
    : m_env(env), m_spec(spec), m_rng(env.seed ^ std::hash<std::string>{}(spec.name)) {
    if (auto it = spec.params.find("work"); it != spec.params.end())
        m_work = std::get<patterns::WorkDistribution>(it->second);
}

Task<SubmitResult> Node::accept(int, Item) {
    throw rt::UsageError("the " + kind() + " " + name() + " takes no input");
}

void Node::upstream_done(int) {}

void Node::set_param(const std::string& param, const ParamValue& value) {
    if (param == "work" && m_work)
        return set_work_mean(std::get<patterns::WorkDistribution>(value).mean());
    throw rt::UsageError("the " + kind() + " " + name() + " cannot change " + param +
                         " while running");
}

Task<SubmitResult> Node::deliver(Item item) {
    if (!m_down) co_return SubmitResult::accepted;  // the end of the line
    SubmitResult r = co_await m_down->accept(m_port, item);
    if (r == SubmitResult::accepted) m_delivered.fetch_add(1);
    co_return r;
}

void Node::output_done() {
    if (m_down) m_down->upstream_done(m_port);
}

void Node::forward_all(rt::Chan<Item> out) {
    m_env.engine.go(name() + " forward", [this, out]() -> Task<> {
        while (auto item = co_await patterns::recv_or_done(out, m_env.ctx)) {
            SubmitResult r = co_await deliver(*item);
            if (r == SubmitResult::cancelled || r == SubmitResult::closed) break;
        }
        output_done();
    });
}

rt::Duration Node::sample_work() {
    std::lock_guard lock(m_rng_mu);
    return m_work ? m_work->sample(m_rng) : rt::Duration(0);
}

void Node::set_work_mean(rt::Duration mean) {
    std::lock_guard lock(m_rng_mu);
    if (m_work) m_work = m_work->with_mean(mean);
}

patterns::ItemHandler Node::simulated_work() {
    return [this](patterns::Item&, const rt::Context& ctx) {
        return rt::sleep_for(ctx, sample_work());
    };
}

void report_stage_counters(const patterns::StageCounters& c, NodeReport& r) {
    r.counters = {{"in", c.in.load()}, {"out", c.out.load()}, {"failed", c.failed.load()}};
    r.output = c.out.load();
    r.latency = c.latency.summary();
    r.latency_of = "item, work time";
}

bool Node::chance(double p) {
    if (p <= 0) return false;
    std::lock_guard lock(m_rng_mu);
    return m_rng.unit() < p;
}

ChannelInputNode::ChannelInputNode(NodeEnv& env, const NodeSpec& spec)
    : Node(env, spec), m_input(spec.integer("queue"), spec.name + " in") {}

Task<SubmitResult> ChannelInputNode::accept(int, Item item) {
    co_return co_await patterns::send_or_done(m_input, item, m_env.ctx) ? SubmitResult::accepted
                                                                        : SubmitResult::cancelled;
}

void ChannelInputNode::upstream_done(int) {
    if (m_finished_upstreams.fetch_add(1) + 1 == m_upstreams) m_input.close();
}

std::vector<Gauge> ChannelInputNode::gauges() const {
    return {{"queue", m_input.len(), m_input.cap()}};
}

double utilization(rt::Duration busy, rt::Duration alive) {
    if (alive <= rt::Duration::zero()) return 0;
    return std::clamp(static_cast<double>(busy.count()) / static_cast<double>(alive.count()), 0.0,
                      1.0);
}

}  // namespace cs::scenario
