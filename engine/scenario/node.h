#pragma once
// Node: one running component of a scenario (a source, a pool, a stage...). Nodes are wired by
// the topology: each node with an output delivers items to its downstream node through
// accept(), on the port the downstream gave it, and tells it when it will send no more
// (upstream_done). Every node runs as engine tasks and channels, so telemetry sees it all.
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "engine.h"
#include "patterns/item.h"
#include "patterns/stage.h"
#include "patterns/work_distribution.h"
#include "patterns/worker_pool.h"
#include "runtime/channel.h"
#include "runtime/context.h"
#include "runtime/random.h"
#include "scenario/report.h"
#include "scenario/scenario.h"

namespace cs::scenario {

class Node;
class RedisAccess;

// What every node of one run shares.
struct NodeEnv {
    Engine& engine;
    rt::Context ctx;         // cancelled by a hard stop: everything ends now
    rt::Context source_ctx;  // cancelled by a drain: producers stop, the rest finishes
    uint64_t seed = 1;
    std::atomic<uint64_t> next_item_id{1};
    // Another node of the run by name (a cache's origin); set by the topology once all exist.
    std::function<Node*(const std::string&)> find_node;
    RedisAccess* redis = nullptr;  // for nodes that use Redis (never null in a run)
};

// A level worth sampling over time (a queue's length, a semaphore's held units).
struct Gauge {
    std::string label;
    size_t value = 0, capacity = 0;
};

class Node {
  public:
    Node(NodeEnv& env, const NodeSpec& spec);
    virtual ~Node() = default;
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    const std::string& name() const noexcept { return m_spec.name; }
    const std::string& kind() const noexcept { return m_spec.kind; }

    // Wiring, before start(): this node will deliver to `downstream`.
    void connect(Node& downstream) {
        m_port = downstream.add_upstream();
        m_down = &downstream;
    }
    virtual void start() = 0;

    // Input side, called by upstream tasks.
    virtual rt::Task<patterns::SubmitResult> accept(int port, patterns::Item item);
    virtual void upstream_done(int port);

    // A live parameter change, already checked against the scenario's range. The base handles
    // `work` (a new mean for the node's distribution); a kind handles the rest it declares live.
    virtual void set_param(const std::string& param, const ParamValue& value);
    // A hard stop is under way (the context is cancelled): account for unfinished work.
    virtual void on_cancel() {}

    virtual std::vector<Gauge> gauges() const { return {}; }
    // Counters, latency and utilization; gauges' statistics are added by the topology.
    virtual void fill_report(NodeReport& report, rt::Duration elapsed) const = 0;

  protected:
    virtual int add_upstream() { return m_upstreams++; }

    // Delivers to the downstream node (items are discarded where there is none).
    rt::Task<patterns::SubmitResult> deliver(patterns::Item item);
    // This node will deliver no more. A node with background tasks (a cache's janitor) stops
    // them here, so that a drained scenario ends.
    virtual void output_done();
    // Starts a task that delivers everything from `out` downstream, then output_done().
    void forward_all(rt::Chan<patterns::Item> out);

    rt::Duration sample_work();              // from the node's `work` distribution (live)
    patterns::ItemHandler simulated_work();  // an item handler that sleeps sample_work()
    void set_work_mean(rt::Duration mean);
    bool chance(double p);  // true with probability p, from the node's generator

    NodeEnv& m_env;
    NodeSpec m_spec;
    int m_upstreams = 0;
    std::atomic<uint64_t> m_delivered{0};

  private:
    Node* m_down = nullptr;
    int m_port = 0;
    mutable std::mutex m_rng_mu;  // guards m_rng and m_work
    rt::Rng m_rng;
    std::optional<patterns::WorkDistribution> m_work;
};

// A node whose input is one channel that every upstream sends into; it closes once all of
// them are done.
class ChannelInputNode : public Node {
  public:
    ChannelInputNode(NodeEnv& env, const NodeSpec& spec);
    rt::Task<patterns::SubmitResult> accept(int port, patterns::Item item) override;
    void upstream_done(int port) override;
    std::vector<Gauge> gauges() const override;

  protected:
    rt::Chan<patterns::Item> m_input;

  private:
    std::atomic<int> m_finished_upstreams{0};
};

double utilization(rt::Duration busy, rt::Duration alive);  // clamped to [0, 1]
// in, out, failed, the output count and the work-time latency of a stage-like node.
void report_stage_counters(const patterns::StageCounters& counters, NodeReport& report);

}  // namespace cs::scenario
