#pragma once
// The node kinds a scenario can use and the parameters each takes. The single source of truth
// for validation, defaults, live ranges and help text.
#include <string>
#include <vector>

#include "scenario/param.h"

namespace cs::scenario {

struct NodeKind {
    std::string name;          // "pool"
    std::string help;          // one line: what it does
    bool has_output = true;    // may (or must) name a `to` node
    bool needs_output = true;  // must name one
    int min_inputs = 0;        // upstream nodes required (a merge needs two)
    bool accepts_input = true;
    std::vector<ParamSpec> params;  // `to` is not listed: it is common to all with an output

    const ParamSpec* find(const std::string& param) const;
    std::string param_names() const;  // "workers, queue, backpressure, ..."
};

const std::vector<NodeKind>& node_kinds();
const NodeKind* find_node_kind(const std::string& name);
std::string node_kind_names();  // "source, pool, stage, ..."

}  // namespace cs::scenario
