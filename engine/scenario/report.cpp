#include "scenario/report.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runtime/duration_text.h"

namespace cs::scenario {

using rt::format_duration;

uint64_t NodeReport::counter(const std::string& name) const {
    for (const auto& [k, v] : counters)
        if (k == name) return v;
    return 0;
}

const NodeReport* ScenarioReport::find(const std::string& node) const {
    for (const NodeReport& n : nodes)
        if (n.name == node) return &n;
    return nullptr;
}

namespace {

// Above this many workers, the text report summarises utilization instead of listing it.
constexpr size_t max_listed_workers = 64;

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

double ms(rt::Duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

std::string to_text(const ScenarioReport& r) {
    std::ostringstream out;
    out << r.title << " (" << r.scenario << "): " << format_duration(r.elapsed)
        << " of scenario time in " << fixed(r.wall_seconds, 2) << " s at " << fixed(r.speed, 2)
        << "x, seed " << r.seed << ", stopped by " << r.stop << "\n";
    for (const NodeReport& n : r.nodes) {
        out << "\n" << n.name << " (" << n.kind << ")\n";
        out << "  throughput   " << fixed(n.throughput, 1) << " items/s\n";
        if (!n.counters.empty()) {
            out << "  items       ";
            for (const auto& [k, v] : n.counters) out << " " << k << " " << v;
            out << "\n";
        }
        if (!n.ratios.empty()) {
            out << "  ratios      ";
            for (const auto& [k, v] : n.ratios) out << " " << k << " " << fixed(100 * v, 1) << "%";
            out << "\n";
        }
        if (n.latency && n.latency->count > 0) {
            const auto& l = *n.latency;
            out << "  latency      (" << n.latency_of << ") p50 " << format_duration(l.p50)
                << "  p90 " << format_duration(l.p90) << "  p99 " << format_duration(l.p99)
                << "  max " << format_duration(l.max) << "\n";
        }
        for (const GaugeReport& g : n.gauges)
            out << "  " << g.label
                << (g.label.size() < 12 ? std::string(12 - g.label.size(), ' ') : "") << " mean "
                << fixed(g.mean, 2) << "  max " << g.max << " of " << g.capacity << "\n";
        if (!n.utilization.empty()) {
            out << "  utilization ";
            if (n.utilization.size() <= max_listed_workers) {
                for (double u : n.utilization) out << " " << fixed(100 * u, 0) << "%";
            } else {  // a list of 10,000 says less than its summary (JSON keeps every one)
                const auto [low, high] =
                    std::minmax_element(n.utilization.begin(), n.utilization.end());
                double sum = 0;
                for (double u : n.utilization) sum += u;
                out << " mean " << fixed(100 * sum / double(n.utilization.size()), 0) << "% over "
                    << n.utilization.size() << " workers (min " << fixed(100 * *low, 0) << "%, max "
                    << fixed(100 * *high, 0) << "%)";
            }
            out << "\n";
        }
        for (const std::string& note : n.notes) out << "  note         " << note << "\n";
    }
    out << "\ntelemetry events dropped: " << r.dropped_events << "\n";
    for (const std::string& e : r.task_errors) out << "task error: " << e << "\n";
    return out.str();
}

std::string to_json(const ScenarioReport& r) {
    using json = nlohmann::ordered_json;
    json nodes = json::array();
    for (const NodeReport& n : r.nodes) {
        json node = {{"name", n.name},
                     {"kind", n.kind},
                     {"throughput_per_s", n.throughput},
                     {"output", n.output}};
        json counters = json::object();
        for (const auto& [k, v] : n.counters) counters[k] = v;
        node["counters"] = counters;
        if (!n.ratios.empty()) {
            json ratios = json::object();
            for (const auto& [k, v] : n.ratios) ratios[k] = v;
            node["ratios"] = ratios;
        }
        if (n.latency) {
            const auto& l = *n.latency;
            node["latency_ms"] = {{"of", n.latency_of}, {"count", l.count}, {"mean", ms(l.mean)},
                                  {"p50", ms(l.p50)},   {"p90", ms(l.p90)}, {"p99", ms(l.p99)},
                                  {"max", ms(l.max)}};
        }
        json gauges = json::object();
        for (const GaugeReport& g : n.gauges)
            gauges[g.label] = {{"capacity", g.capacity}, {"mean", g.mean}, {"max", g.max}};
        node["occupancy"] = gauges;
        node["utilization"] = n.utilization;
        node["notes"] = n.notes;
        nodes.push_back(node);
    }
    json out = {{"scenario", r.scenario},
                {"title", r.title},
                {"elapsed_s", std::chrono::duration<double>(r.elapsed).count()},
                {"wall_s", r.wall_seconds},
                {"speed", r.speed},
                {"seed", r.seed},
                {"stop", r.stop},
                {"dropped_events", r.dropped_events},
                {"task_errors", r.task_errors},
                {"nodes", nodes}};
    return out.dump();
}

}  // namespace cs::scenario
