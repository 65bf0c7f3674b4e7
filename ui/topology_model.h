#pragma once
// TopologyModel: the running scenario as the graph the topology view draws. Its nodes sit in
// layers, sources at the left and each node one layer right of everything that feeds it; its
// edges are the `to` wiring (solid) and references such as a cache's origin (dashed). Each
// snapshot then says, per node, what its tasks are doing (a token per task) and its cache, rate
// limiter or semaphore, and per edge how full its channel is and how many messages cross it per
// second of scenario time.
//
// Tasks and objects belong to the node whose name they carry: "pool worker 3" and "janitor app"
// to the nodes "pool" and "app"; the run's own (the occupancy sampler) to none.
//
//   TopologyModel model(scenario);
//   model.update(*engine.snapshot());   // on every refresh
//   for (const TopologyNode& n : model.nodes()) ...
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "scenario/scenario.h"
#include "telemetry/snapshot.h"

namespace cs::ui {

struct TopologyToken {
    uint64_t task;
    std::string name;
    rt::TaskState state;
    rt::WaitReason reason;
};

struct TopologyNode {
    std::string name;
    std::string kind;                   // "source", "pool", "cache"...
    int layer = 0;                      // column, from 0 at the sources
    int row = 0;                        // place in its column, from 0 at the top
    std::vector<TopologyToken> tokens;  // its live tasks, by id
    std::string detail;                 // "hit 87% · 100 entries", "tokens 3/20", "" if none
};

struct TopologyEdge {
    int from = 0;  // indexes into nodes()
    int to = 0;
    bool reference = false;   // a reference (origin), not a channel the items flow through
    std::string channel;      // the channel shown on it; "" if none was found
    size_t len = 0, cap = 0;  // summed over its channels (a merge has one per input)
    bool closed = false;
    double per_second = 0;  // messages received per second of scenario time, smoothed
};

class TopologyModel {
  public:
    TopologyModel() = default;
    explicit TopologyModel(const scenario::Scenario& scenario);

    // Reads one snapshot of the scenario's engine. Rates need two snapshots; a paused clock
    // keeps the last rate.
    void update(const telemetry::Snapshot& snapshot);

    const std::vector<TopologyNode>& nodes() const noexcept { return m_nodes; }
    const std::vector<TopologyEdge>& edges() const noexcept { return m_edges; }
    int layer_count() const noexcept { return m_layers; }
    int max_rows() const noexcept { return m_max_rows; }
    // The node an engine object's or task's name puts it in; -1 for none.
    int owner_of(const std::string& object_name) const;

  private:
    void add_edge(int from, int to, bool reference);
    void place_in_layers();
    struct ChannelCount {
        uint64_t channel = 0;
        uint64_t recvs = 0;
    };

    std::vector<TopologyNode> m_nodes;
    std::vector<TopologyEdge> m_edges;
    // A channel name -> the edges it may be shown on, with its rank among their candidates
    // ("merge in 1" before "merge in" before "pool jobs").
    std::unordered_map<std::string, std::vector<std::pair<size_t, size_t>>> m_channel_candidates;
    std::vector<ChannelCount> m_edge_counts;  // per edge: its channel's count at the last rate
    int m_layers = 0, m_max_rows = 0;
    std::optional<rt::TimePoint> m_last_time;
};

}  // namespace cs::ui
