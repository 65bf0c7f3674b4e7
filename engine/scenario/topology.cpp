#include "scenario/topology.h"

#include <algorithm>

#include "scenario/nodes/nodes.h"

namespace cs::scenario {

Topology::Topology(NodeEnv& env, const Scenario& scenario) {
    env.find_node = [this](const std::string& name) { return find(name); };
    for (const NodeSpec& spec : scenario.nodes) m_nodes.push_back(make_node(env, spec));
    // Wired in file order, so ports (and a merge's inputs) are numbered as the file lists them.
    for (const NodeSpec& spec : scenario.nodes) {
        auto to = spec.params.find("to");
        if (to != spec.params.end())
            find(spec.name)->connect(*find(std::get<std::string>(to->second)));
    }
}

void Topology::start() {
    for (auto& n : m_nodes) n->start();
}

Node* Topology::find(const std::string& name) const {
    for (const auto& n : m_nodes)
        if (n->name() == name) return n.get();
    return nullptr;
}

void Topology::sample_gauges() {
    std::lock_guard lock(m_mu);
    for (const auto& n : m_nodes) {
        auto& stats = m_gauges[n->name()];
        for (const Gauge& g : n->gauges()) {
            auto it = std::find_if(stats.begin(), stats.end(),
                                   [&](const auto& s) { return s.first == g.label; });
            if (it == stats.end()) it = stats.insert(stats.end(), {g.label, GaugeStats{}});
            GaugeStats& s = it->second;
            s.capacity = g.capacity;
            s.max = std::max(s.max, g.value);
            s.sum += double(g.value);
            ++s.samples;
        }
    }
}

std::vector<NodeReport> Topology::reports(rt::Duration elapsed) const {
    std::vector<NodeReport> out;
    double seconds = std::chrono::duration<double>(elapsed).count();
    std::lock_guard lock(m_mu);
    for (const auto& n : m_nodes) {
        NodeReport r;
        r.name = n->name();
        r.kind = n->kind();
        n->fill_report(r, elapsed);
        r.throughput = seconds > 0 ? double(r.output) / seconds : 0;
        if (auto it = m_gauges.find(n->name()); it != m_gauges.end())
            for (const auto& [label, s] : it->second)
                r.gauges.push_back(
                    {label, s.capacity, s.samples ? s.sum / double(s.samples) : 0, s.max});
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace cs::scenario
