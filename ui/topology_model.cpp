#include "topology_model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <unordered_map>

#include "scenario/node_kinds.h"

namespace cs::ui {
namespace {

// How fast a shown rate follows the measured one: about a third of a second at 30 Hz.
constexpr double rate_smoothing = 0.3;

// "pool worker 3" and "janitor app" carry the names "pool" and "app" as whole words at an end.
// No allocation: it runs for every task on every refresh.
bool carries_name(const std::string& object, const std::string& node) {
    if (object == node) return true;
    const size_t n = node.size();
    if (object.size() <= n) return false;
    return (object[n] == ' ' && object.compare(0, n, node) == 0) ||
           (object[object.size() - n - 1] == ' ' &&
            object.compare(object.size() - n, n, node) == 0);
}

std::string format(const char* pattern, double a, double b = 0) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, a, b);
    return text;
}

}  // namespace

TopologyModel::TopologyModel(const scenario::Scenario& scenario) {
    std::unordered_map<std::string, int> index;
    for (const scenario::NodeSpec& spec : scenario.nodes) {
        index[spec.name] = static_cast<int>(m_nodes.size());
        TopologyNode& node = m_nodes.emplace_back();
        node.name = spec.name;
        node.kind = spec.kind;
    }
    // Upstreams are numbered in file order, as the topology wires them: a merge's k-th input
    // channel is "<merge> in k".
    std::unordered_map<std::string, int> inputs_seen;
    for (const scenario::NodeSpec& spec : scenario.nodes) {
        const int from = index[spec.name];
        if (auto to = spec.params.find("to"); to != spec.params.end()) {
            const std::string& down = std::get<std::string>(to->second);
            if (!index.contains(down)) continue;
            const int port = inputs_seen[down]++;
            const size_t edge = m_edges.size();
            add_edge(from, index[down], false);
            const std::string names[] = {down + " in " + std::to_string(port), down + " in",
                                         down + " jobs"};
            for (size_t order = 0; order < std::size(names); ++order)
                m_channel_candidates[names[order]].push_back({edge, order});
        }
        const scenario::NodeKind* kind = scenario::find_node_kind(spec.kind);
        if (!kind) continue;
        for (const scenario::ParamSpec& p : kind->params) {
            if (p.node_kind.empty()) continue;
            auto value = spec.params.find(p.name);
            if (value == spec.params.end()) continue;
            const auto* target = std::get_if<std::string>(&value->second);
            if (!target || !index.contains(*target)) continue;
            add_edge(from, index[*target], true);
        }
    }
    m_edge_counts.resize(m_edges.size());
    place_in_layers();
}

void TopologyModel::add_edge(int from, int to, bool reference) {
    TopologyEdge& edge = m_edges.emplace_back();
    edge.from = from;
    edge.to = to;
    edge.reference = reference;
}

void TopologyModel::place_in_layers() {
    // Longest path from a source, by relaxation; n rounds suffice for any acyclic graph and
    // bound the work if a file ever wires a cycle.
    const size_t n = m_nodes.size();
    for (size_t round = 0; round < n; ++round) {
        bool moved = false;
        for (const TopologyEdge& e : m_edges) {
            int& down = m_nodes[e.to].layer;
            if (down < m_nodes[e.from].layer + 1) {
                down = m_nodes[e.from].layer + 1;
                moved = true;
            }
        }
        if (!moved) break;
    }
    std::vector<int> rows;
    for (TopologyNode& node : m_nodes) {
        if (static_cast<int>(rows.size()) <= node.layer) rows.resize(node.layer + 1, 0);
        node.row = rows[node.layer]++;
    }
    m_layers = static_cast<int>(rows.size());
    m_max_rows = rows.empty() ? 0 : *std::max_element(rows.begin(), rows.end());
}

int TopologyModel::owner_of(const std::string& object_name) const {
    // The longest matching name wins, so that "app" does not take what "app_b" owns.
    int best = -1;
    size_t best_length = 0;
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        const std::string& node = m_nodes[i].name;
        if (carries_name(object_name, node) && node.size() > best_length) {
            best = static_cast<int>(i);
            best_length = node.size();
        }
    }
    return best;
}

void TopologyModel::update(const telemetry::Snapshot& snapshot) {
    for (TopologyNode& node : m_nodes) {
        node.tokens.clear();
        node.detail.clear();
    }
    for (const telemetry::TaskInfo& task : snapshot.tasks) {
        if (task.state == rt::TaskState::done) continue;
        const int owner = owner_of(task.name);
        if (owner >= 0)
            m_nodes[owner].tokens.push_back({task.id, task.name, task.state, task.reason});
    }
    for (const telemetry::CacheInfo& cache : snapshot.caches) {
        const int owner = owner_of(cache.name);
        if (owner < 0) continue;
        m_nodes[owner].detail = format("hit %.0f%% · %.0f entries", 100 * cache.stats.hit_ratio(),
                                       double(cache.stats.size));
    }
    for (const telemetry::LimiterInfo& limiter : snapshot.limiters) {
        const int owner = owner_of(limiter.name);
        if (owner < 0 || !std::isfinite(limiter.limit)) continue;
        m_nodes[owner].detail =
            format("tokens %.1f / %.0f", std::max(0.0, limiter.tokens), double(limiter.burst));
    }
    for (const telemetry::SemaphoreInfo& semaphore : snapshot.semaphores) {
        const int owner = owner_of(semaphore.name);
        if (owner < 0) continue;
        m_nodes[owner].detail =
            format("held %.0f / %.0f", double(semaphore.held), double(semaphore.size)) +
            format(" · %.0f waiting", double(semaphore.waiters));
    }

    const double seconds =
        m_last_time ? std::chrono::duration<double>(snapshot.time - *m_last_time).count() : 0;
    if (!m_last_time || seconds > 0) m_last_time = snapshot.time;  // paused: rates stand still

    // One pass over the channels (a pool of 10,000 workers has 10,000 of them): the first
    // candidate name of each edge that exists names its channel.
    std::vector<const telemetry::ChannelInfo*> shown(m_edges.size(), nullptr);
    std::vector<size_t> rank(m_edges.size(), SIZE_MAX);
    for (const telemetry::ChannelInfo& c : snapshot.channels) {
        if (c.internal) continue;
        auto candidate = m_channel_candidates.find(c.name);
        if (candidate == m_channel_candidates.end()) continue;
        for (const auto& [edge, order] : candidate->second) {
            if (order < rank[edge]) {
                rank[edge] = order;
                shown[edge] = &c;
            }
        }
    }
    for (size_t i = 0; i < m_edges.size(); ++i) {
        TopologyEdge& edge = m_edges[i];
        const telemetry::ChannelInfo* c = shown[i];
        if (!c) {
            edge.channel.clear();
            edge.len = edge.cap = 0;
            continue;
        }
        if (seconds > 0 && m_edge_counts[i].channel == c->id) {
            const double measured = double(c->recvs - m_edge_counts[i].recvs) / seconds;
            edge.per_second += rate_smoothing * (measured - edge.per_second);
        }
        if (seconds > 0 || m_edge_counts[i].channel != c->id) m_edge_counts[i] = {c->id, c->recvs};
        edge.channel = c->name;
        edge.len = c->len;
        edge.cap = c->cap;
        edge.closed = c->closed;
    }
}

}  // namespace cs::ui
