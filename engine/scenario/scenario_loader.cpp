#include "scenario/scenario_loader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "runtime/duration_text.h"
#include "scenario/json_locations.h"
#include "scenario/node_kinds.h"

namespace cs::scenario {

using json = nlohmann::json;
using patterns::WorkDistribution;

namespace {

std::string compose(const std::string& file, int line, int column, const std::string& path,
                    const std::string& message) {
    std::string where = file;
    if (line > 0) where += ":" + std::to_string(line) + ":" + std::to_string(column);
    return where + ": " + (path.empty() ? "" : path + ": ") + message;
}

std::string in_quotes(const std::string& s) {
    return "\"" + s + "\"";
}

// What a JSON value is, for "expected X, got Y".
std::string describe_json(const json& j) {
    switch (j.type()) {
        case json::value_t::string:
            return "a string (" + j.dump() + ")";
        case json::value_t::boolean:
            return j.dump();
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float:
            return j.dump();
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::null:
            return "null";
        default:
            return "something else";
    }
}

// nlohmann reports the end of the offending token (`byte` is one past its last character);
// people look for its start.
size_t token_start(std::string_view text, size_t byte) {
    if (byte == 0 || byte > text.size()) return std::min(byte, text.size());
    size_t last = byte - 1;
    auto literal_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-';
    };
    if (text[last] == '"') {
        size_t k = last;
        while (k > 0 && !(text[k - 1] == '"' && (k < 2 || text[k - 2] != '\\'))) --k;
        return k > 0 ? k - 1 : 0;
    }
    size_t start = last;
    if (literal_char(text[last]))
        while (start > 0 && literal_char(text[start - 1])) --start;
    return start;
}

std::string number_text(double v) {
    std::ostringstream out;
    out.precision(15);
    out << v;
    return out.str();
}

class Validator {
  public:
    Validator(std::string_view text, std::string file) : m_text(text), m_file(std::move(file)) {}

    Scenario run() {
        json root;
        try {
            root = json::parse(m_text);
        } catch (const json::parse_error& e) {
            TextPosition p = position_of_offset(m_text, token_start(m_text, e.byte));
            std::string what = e.what();
            size_t colon = what.find(": ", what.find("column"));
            std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
            throw ScenarioError(m_file, p.line, p.column, "", "not valid JSON: " + reason);
        }
        m_locations = locate_json_values(m_text);
        return scenario(root);
    }

  private:
    [[noreturn]] void fail_at_value(const std::string& path, const std::string& message) const {
        TextPosition p = find(path).value;
        throw ScenarioError(m_file, p.line, p.column, path, message);
    }
    [[noreturn]] void fail_at_key(const std::string& path, const std::string& message) const {
        TextPosition p = find(path).key;
        throw ScenarioError(m_file, p.line, p.column, path, message);
    }
    JsonLocation find(const std::string& path) const {
        auto it = m_locations.find(path);
        return it == m_locations.end() ? JsonLocation{} : it->second;
    }

    void expect_object(const json& j, const std::string& path) const {
        if (!j.is_object()) fail_at_value(path, "expected an object, got " + describe_json(j));
    }
    void only_fields(const json& j, const std::string& path,
                     const std::vector<std::string>& allowed, const std::string& what) const {
        for (const auto& [key, value] : j.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            fail_at_key(member_path(path, key), "unknown field " + in_quotes(key) + " in " + what +
                                                    " (allowed: " + list + ")");
        }
    }
    const json& require(const json& j, const std::string& path, const std::string& key,
                        const std::string& what) const {
        if (!j.contains(key))
            fail_at_value(path, "missing field " + in_quotes(key) + " (" + what + ")");
        return j.at(key);
    }
    std::string string_field(const json& j, const std::string& path) const {
        if (!j.is_string()) fail_at_value(path, "expected a string, got " + describe_json(j));
        return j.get<std::string>();
    }
    rt::Duration duration_field(const json& j, const std::string& path) const {
        std::optional<rt::Duration> d;
        if (j.is_string()) d = rt::parse_duration(j.get<std::string>());
        if (!d)
            fail_at_value(path,
                          "expected a duration such as \"20ms\" or \"1.5s\" (units: ns, us, ms, s, "
                          "min, h), got " +
                              describe_json(j));
        return *d;
    }
    void check_range(double v, double min, double max, const std::string& shown,
                     const std::string& path, const std::string& allowed) const {
        if (v < min || v > max)
            fail_at_value(path, shown + " is out of range (allowed: " + allowed + ")");
    }

    Scenario scenario(const json& root) {
        expect_object(root, "$");
        only_fields(
            root, "$",
            {"name", "title", "description", "duration", "seed", "cancel_after", "nodes", "live"},
            "a scenario");
        Scenario s;
        s.name = string_field(require(root, "$", "name", "the scenario's short name"), "$.name");
        if (s.name.empty()) fail_at_value("$.name", "must not be empty");
        s.title = root.contains("title") ? string_field(root["title"], "$.title") : s.name;
        s.description = string_field(require(root, "$", "description", "what the scenario shows"),
                                     "$.description");
        s.duration = std::chrono::seconds(10);
        if (root.contains("duration")) {
            s.duration = duration_field(root["duration"], "$.duration");
            check_range(double(s.duration.count()), 1e6, 24 * 3600e9,
                        rt::format_duration(s.duration), "$.duration", "1ms .. 24h");
        }
        if (root.contains("seed")) {
            const json& seed = root["seed"];
            if (!seed.is_number_integer() || seed.get<int64_t>() < 0)
                fail_at_value("$.seed",
                              "expected a non-negative integer, got " + describe_json(seed));
            s.seed = seed.get<uint64_t>();
        }
        if (root.contains("cancel_after")) {
            s.cancel_after = duration_field(root["cancel_after"], "$.cancel_after");
            check_range(double(s.cancel_after->count()), 0, 24 * 3600e9,
                        rt::format_duration(*s.cancel_after), "$.cancel_after", "0s .. 24h");
        }
        const json& nodes = require(root, "$", "nodes", "the scenario's nodes");
        if (!nodes.is_array() || nodes.empty())
            fail_at_value("$.nodes",
                          "expected a non-empty array of nodes, got " + describe_json(nodes));
        for (size_t i = 0; i < nodes.size(); ++i)
            s.nodes.push_back(node(nodes[i], element_path("$.nodes", i), s));
        check_graph(s);
        if (root.contains("live")) live(root["live"], s);
        return s;
    }

    NodeSpec node(const json& j, const std::string& path, const Scenario& so_far) {
        expect_object(j, path);
        NodeSpec n;
        n.kind =
            string_field(require(j, path, "kind", "one of: " + node_kind_names()), path + ".kind");
        const NodeKind* kind = find_node_kind(n.kind);
        if (!kind)
            fail_at_value(path + ".kind", "unknown node kind " + in_quotes(n.kind) +
                                              " (kinds: " + node_kind_names() + ")");
        n.name =
            string_field(require(j, path, "name", "a name unique in the scenario"), path + ".name");
        if (n.name.empty()) fail_at_value(path + ".name", "must not be empty");
        if (so_far.find_node(n.name))
            fail_at_value(path + ".name", "a node named " + in_quotes(n.name) + " already exists");

        std::vector<std::string> allowed = {"kind", "name"};
        if (kind->has_output) allowed.push_back("to");
        for (const ParamSpec& p : kind->params) allowed.push_back(p.name);
        only_fields(j, path, allowed, "a " + n.kind + " node");

        if (kind->has_output) {
            if (j.contains("to"))
                n.params["to"] = string_field(j["to"], path + ".to");
            else if (kind->needs_output)
                fail_at_value(path, "missing field \"to\" (the node this " + n.kind + " sends to)");
        }
        for (const ParamSpec& p : kind->params) {
            std::string ppath = member_path(path, p.name);
            if (!j.contains(p.name)) {
                if (!p.default_value)
                    fail_at_value(path, "missing field " + in_quotes(p.name) + " (" + p.help + ")");
                n.params[p.name] = *p.default_value;
                continue;
            }
            n.params[p.name] = value(j[p.name], ppath, p);
        }
        if (n.kind == "error_group" && n.integer("fail_task") > n.integer("tasks"))
            fail_at_value(path + ".fail_task", std::to_string(n.integer("fail_task")) +
                                                   " is out of range (allowed: 0 .. tasks = " +
                                                   std::to_string(n.integer("tasks")) + ")");
        if (n.kind == "cache" && n.duration("refresh_ahead") >= n.duration("ttl"))
            fail_at_value(path + ".refresh_ahead",
                          rt::format_duration(n.duration("refresh_ahead")) +
                              " is out of range (allowed: 0 .. less than ttl = " +
                              rt::format_duration(n.duration("ttl")) + ")");
        return n;
    }

    ParamValue value(const json& j, const std::string& path, const ParamSpec& p) const {
        switch (p.type) {
            case ParamType::integer: {
                if (!j.is_number_integer())
                    fail_at_value(path, "expected an integer, got " + describe_json(j));
                int64_t v = j.is_number_unsigned() && j.get<uint64_t>() > uint64_t(INT64_MAX)
                                ? INT64_MAX
                                : j.get<int64_t>();
                check_range(double(v), p.min, p.max, std::to_string(v), path, describe_range(p));
                return v;
            }
            case ParamType::number: {
                if (!j.is_number())
                    fail_at_value(path, "expected a number, got " + describe_json(j));
                double v = j.get<double>();
                check_range(v, p.min, p.max, number_text(v), path, describe_range(p));
                return v;
            }
            case ParamType::duration: {
                rt::Duration d = duration_field(j, path);
                check_range(double(d.count()), p.min, p.max, rt::format_duration(d), path,
                            describe_range(p));
                return d;
            }
            case ParamType::boolean:
                if (!j.is_boolean())
                    fail_at_value(path, "expected true or false, got " + describe_json(j));
                return j.get<bool>();
            case ParamType::choice: {
                std::string v = string_field(j, path);
                if (std::find(p.choices.begin(), p.choices.end(), v) == p.choices.end())
                    fail_at_value(path, in_quotes(v) + " is not one of: " + describe_range(p));
                return v;
            }
            case ParamType::distribution:
                return distribution(j, path, p);
            case ParamType::node:
            case ParamType::text:
                return string_field(j, path);
        }
        fail_at_value(path, "unsupported parameter type");
    }

    WorkDistribution distribution(const json& j, const std::string& path,
                                  const ParamSpec& p) const {
        if (!j.is_object())
            fail_at_value(path,
                          "expected a distribution such as {\"dist\": \"exponential\", \"mean\": "
                          "\"20ms\"}, got " +
                              describe_json(j));
        std::string dist =
            string_field(require(j, path, "dist", "constant, uniform, exponential or lognormal"),
                         path + ".dist");
        auto dur = [&](const char* key, const char* what) {
            return duration_field(require(j, path, key, what), member_path(path, key));
        };
        std::optional<WorkDistribution> d;
        if (dist == "constant") {
            only_fields(j, path, {"dist", "value"}, "a constant distribution");
            d = WorkDistribution::constant(dur("value", "how long every item takes"));
        } else if (dist == "uniform") {
            only_fields(j, path, {"dist", "min", "max"}, "a uniform distribution");
            rt::Duration lo = dur("min", "the shortest time"), hi = dur("max", "the longest time");
            if (lo > hi)
                fail_at_value(path + ".max", "max (" + rt::format_duration(hi) +
                                                 ") is less than min (" + rt::format_duration(lo) +
                                                 ")");
            d = WorkDistribution::uniform(lo, hi);
        } else if (dist == "exponential") {
            only_fields(j, path, {"dist", "mean"}, "an exponential distribution");
            d = WorkDistribution::exponential(dur("mean", "the average time"));
        } else if (dist == "lognormal") {
            only_fields(j, path, {"dist", "median", "sigma"}, "a lognormal distribution");
            rt::Duration median = dur("median", "the median time");
            const json& sigma = require(j, path, "sigma", "the spread, e.g. 0.5");
            if (!sigma.is_number())
                fail_at_value(path + ".sigma", "expected a number, got " + describe_json(sigma));
            check_range(sigma.get<double>(), 0.01, 3, number_text(sigma.get<double>()),
                        path + ".sigma", "0.01 .. 3");
            d = WorkDistribution::lognormal(median, sigma.get<double>());
        } else {
            fail_at_value(
                path + ".dist",
                in_quotes(dist) + " is not one of: constant, uniform, exponential, lognormal");
        }
        double mean = double(d->mean().count());
        check_range(mean, p.min, p.max, "mean " + rt::format_duration(d->mean()), path,
                    describe_range(p));
        return *d;
    }

    // A parameter naming another node (a cache's origin) must name one of the right kind.
    void check_node_references(const Scenario& s) const {
        for (size_t i = 0; i < s.nodes.size(); ++i) {
            const NodeSpec& n = s.nodes[i];
            for (const ParamSpec& p : find_node_kind(n.kind)->params) {
                if (p.type != ParamType::node) continue;
                const std::string& target = n.text(p.name);
                std::string path = element_path("$.nodes", i) + "." + p.name;
                const NodeSpec* t = s.find_node(target);
                if (!t || t->kind != p.node_kind) {
                    std::string names;
                    for (const auto& m : s.nodes)
                        if (m.kind == p.node_kind) names += (names.empty() ? "" : ", ") + m.name;
                    fail_at_value(path, "no " + p.node_kind + " node named " + in_quotes(target) +
                                            " (" + p.node_kind + " nodes: " +
                                            (names.empty() ? "none; add one" : names) + ")");
                }
            }
        }
    }

    void check_graph(const Scenario& s) const {
        check_node_references(s);
        std::map<std::string, int> inputs;
        for (size_t i = 0; i < s.nodes.size(); ++i) {
            const NodeSpec& n = s.nodes[i];
            auto to = n.params.find("to");
            if (to == n.params.end()) continue;
            const std::string& target = std::get<std::string>(to->second);
            std::string path = element_path("$.nodes", i) + ".to";
            const NodeSpec* t = s.find_node(target);
            if (!t) {
                std::string names;
                for (const auto& m : s.nodes) names += (names.empty() ? "" : ", ") + m.name;
                fail_at_value(path,
                              "no node named " + in_quotes(target) + " (nodes: " + names + ")");
            }
            if (t == &n) fail_at_value(path, "a node cannot send to itself");
            if (!find_node_kind(t->kind)->accepts_input)
                fail_at_value(path, "a " + t->kind + " node takes no input; send to another node");
            ++inputs[target];
        }
        for (size_t i = 0; i < s.nodes.size(); ++i) {
            const NodeSpec& n = s.nodes[i];
            const NodeKind& kind = *find_node_kind(n.kind);
            if (!kind.accepts_input) continue;
            int have = inputs[n.name];
            int need = std::max(kind.min_inputs, 1);
            if (have < need)
                fail_at_value(element_path("$.nodes", i),
                              "the " + n.kind + " " + in_quotes(n.name) + " needs at least " +
                                  std::to_string(need) + (need == 1 ? " input" : " inputs") +
                                  " (nodes sending to it with \"to\"), has " +
                                  std::to_string(have));
        }
        // Each node has at most one `to`: following it from every node finds any cycle.
        for (size_t i = 0; i < s.nodes.size(); ++i) {
            std::vector<std::string> walk = {s.nodes[i].name};
            const NodeSpec* at = &s.nodes[i];
            while (at->params.count("to")) {
                at = s.find_node(std::get<std::string>(at->params.at("to")));
                if (at->name == walk.front()) {
                    std::string cycle;
                    for (const auto& w : walk) cycle += w + " -> ";
                    fail_at_value(element_path("$.nodes", i) + ".to",
                                  "the nodes form a cycle: " + cycle + walk.front());
                }
                if (std::find(walk.begin(), walk.end(), at->name) != walk.end())
                    break;  // a cycle found from its own start
                walk.push_back(at->name);
            }
        }
    }

    void live(const json& j, Scenario& s) const {
        if (!j.is_array()) fail_at_value("$.live", "expected an array, got " + describe_json(j));
        for (size_t i = 0; i < j.size(); ++i) {
            std::string path = element_path("$.live", i);
            const json& e = j[i];
            expect_object(e, path);
            only_fields(e, path, {"node", "param", "min", "max"}, "a live parameter");
            LiveParam lp;
            lp.node = string_field(require(e, path, "node", "the node's name"), path + ".node");
            lp.param =
                string_field(require(e, path, "param", "the parameter's name"), path + ".param");
            const NodeSpec* n = s.find_node(lp.node);
            if (!n) fail_at_value(path + ".node", "no node named " + in_quotes(lp.node));
            const NodeKind& kind = *find_node_kind(n->kind);
            const ParamSpec* spec = kind.find(lp.param);
            std::string live_names;
            for (const auto& p : kind.params)
                if (p.live) live_names += (live_names.empty() ? "" : ", ") + p.name;
            if (!spec || !spec->live)
                fail_at_value(path + ".param",
                              in_quotes(lp.param) + " cannot change while a " + n->kind +
                                  " runs (live parameters of a " + n->kind + ": " +
                                  (live_names.empty() ? "none" : live_names) + ")");
            if (s.find_live(lp.node, lp.param))
                fail_at_value(path, in_quotes(lp.node + "." + lp.param) + " is listed twice");
            if (spec->type == ParamType::boolean || spec->type == ParamType::choice) {
                // A switch: its positions are its values (false/true, or the choices in order).
                for (const char* key : {"min", "max"})
                    if (e.contains(key))
                        fail_at_value(path + "." + key,
                                      "a " + std::string(to_string(spec->type)) +
                                          " is a switch, not a slider: leave out min and max");
                lp.min = 0;
                lp.max = spec->type == ParamType::boolean ? 1 : double(spec->choices.size() - 1);
                s.live.push_back(lp);
                continue;
            }
            auto bound = [&](const char* key) {
                std::string bpath = path + "." + key;
                const json& b = require(e, path, key, std::string("the slider's ") + key + "imum");
                bool timed =
                    spec->type == ParamType::duration || spec->type == ParamType::distribution;
                double v = 0;
                std::string shown;
                if (timed) {
                    rt::Duration d = duration_field(b, bpath);
                    v = double(d.count());
                    shown = rt::format_duration(d);
                } else {
                    if (!b.is_number())
                        fail_at_value(bpath, "expected a number, got " + describe_json(b));
                    if (spec->type == ParamType::integer && !b.is_number_integer())
                        fail_at_value(bpath, "expected an integer, got " + describe_json(b));
                    v = b.get<double>();
                    shown = number_text(v);
                }
                check_range(v, spec->min, spec->max, shown, bpath, describe_range(*spec));
                return v;
            };
            lp.min = bound("min");
            lp.max = bound("max");
            if (lp.min > lp.max) fail_at_value(path + ".max", "max is less than min");
            double current = numeric(n->param(lp.param));
            if (current < lp.min || current > lp.max)
                fail_at_value(path, "the node's value " + describe_value(n->param(lp.param)) +
                                        " lies outside the slider's range");
            s.live.push_back(lp);
        }
    }

    std::string_view m_text;
    std::string m_file;
    std::map<std::string, JsonLocation> m_locations;
};

}  // namespace

ScenarioError::ScenarioError(std::string file, int line, int column, std::string path,
                             std::string message)
    : std::runtime_error(compose(file, line, column, path, message)),
      m_file(std::move(file)),
      m_path(std::move(path)),
      m_message(std::move(message)),
      m_line(line),
      m_column(column) {}

Scenario parse_scenario(std::string_view text, const std::string& file_name) {
    return Validator(text, file_name).run();
}

Scenario load_scenario_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ScenarioError(path, 0, 0, "",
                            "cannot open the file (does it exist, and may you read it?)");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_scenario(text.str(), path);
}

const NodeSpec* Scenario::find_node(const std::string& name) const {
    for (const NodeSpec& n : nodes)
        if (n.name == name) return &n;
    return nullptr;
}

const LiveParam* Scenario::find_live(const std::string& node, const std::string& param) const {
    for (const LiveParam& l : live)
        if (l.node == node && l.param == param) return &l;
    return nullptr;
}

}  // namespace cs::scenario
