#pragma once
// Topology: a scenario's nodes, built from its specs and wired by their `to` fields, plus the
// occupancy statistics of their gauges (sampled by the controller).
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "scenario/node.h"

namespace cs::scenario {

class Topology {
  public:
    Topology(NodeEnv& env, const Scenario& scenario);

    void start();  // every node's tasks
    Node* find(const std::string& name) const;
    const std::vector<std::unique_ptr<Node>>& nodes() const noexcept { return m_nodes; }

    void sample_gauges();  // one sample of every gauge
    // Per node: counters and the like from the node, gauges from the samples.
    std::vector<NodeReport> reports(rt::Duration elapsed) const;

  private:
    struct GaugeStats {
        size_t capacity = 0, max = 0;
        double sum = 0;
        uint64_t samples = 0;
    };
    std::vector<std::unique_ptr<Node>> m_nodes;
    mutable std::mutex m_mu;
    std::map<std::string, std::vector<std::pair<std::string, GaugeStats>>>
        m_gauges;  // node -> label
};

}  // namespace cs::scenario
