#include "scenario/nodes/origin_node.h"

#include "scenario/nodes/nodes.h"

namespace cs::scenario {

OriginNode::OriginNode(NodeEnv& env, const NodeSpec& spec)
    : Node(env, spec),
      m_keys(uint64_t(spec.integer("keys"))),
      m_changes(env.engine, {.name = spec.name + " changes"}),
      m_versions(&env.engine, spec.name) {
    m_db = std::make_unique<cache::SqliteOrigin>(
        env.engine, cache::SqliteOriginOptions{.name = spec.name,
                                               .path = spec.text("path"),
                                               .latency = spec.duration("latency"),
                                               .error_rate = spec.number("error_rate"),
                                               .seed = env.seed});
    m_db->set_available(spec.boolean("available"));
    m_db->seed(m_keys, [](uint64_t i) { return cache::KeyValue{key_name(i), "v0"}; });
}

void OriginNode::set_param(const std::string& param, const ParamValue& value) {
    if (param == "latency") return m_db->set_latency(std::get<rt::Duration>(value));
    if (param == "error_rate") return m_db->set_error_rate(std::get<double>(value));
    if (param == "available") return m_db->set_available(std::get<bool>(value));
    Node::set_param(param, value);
}

void OriginNode::acknowledge_write(const std::string& key, const std::string& value) {
    std::lock_guard lock(m_truth_mu);
    m_truth[key] = value;
}

std::string OriginNode::current_value(const std::string& key) const {
    std::lock_guard lock(m_truth_mu);
    auto it = m_truth.find(key);
    return it == m_truth.end() ? "v0" : it->second;
}

void OriginNode::fill_report(NodeReport& r, rt::Duration) const {
    cache::OriginStats s = m_db->stats();
    r.counters = {{"queries", s.queries()}, {"loads", s.loads},     {"stores", s.stores},
                  {"batches", s.batches},   {"batch_rows", s.batch_rows},
                  {"erases", s.erases},     {"failures", s.failures}};
    r.output = s.queries();
    r.latency = s.latency;
    r.latency_of = "query";
}

OriginNode& origin_named(NodeEnv& env, const std::string& name) {
    return static_cast<OriginNode&>(*env.find_node(name));
}

std::unique_ptr<Node> make_origin_node(NodeEnv& env, const NodeSpec& spec) {
    return std::make_unique<OriginNode>(env, spec);
}

}  // namespace cs::scenario
