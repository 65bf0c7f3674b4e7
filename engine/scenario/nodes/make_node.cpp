#include <functional>
#include <map>

#include "runtime/errors.h"
#include "scenario/nodes/nodes.h"

namespace cs::scenario {

std::unique_ptr<Node> make_node(NodeEnv& env, const NodeSpec& spec) {
    using Factory = std::unique_ptr<Node> (*)(NodeEnv&, const NodeSpec&);
    static const std::map<std::string, Factory> factories = {
        {"source", make_source_node},
        {"pool", make_pool_node},
        {"stage", make_stage_node},
        {"fan_out", make_fan_out_node},
        {"rate_limit", make_rate_limit_node},
        {"shared_rate_limit", make_shared_rate_limit_node},
        {"bounded", make_bounded_node},
        {"merge", make_merge_node},
        {"timeout_consumer", make_timeout_consumer_node},
        {"sink", make_sink_node},
        {"error_group", make_error_group_node},
        {"origin", make_origin_node},
        {"cache", make_cache_node},
    };
    auto it = factories.find(spec.kind);
    if (it == factories.end()) throw rt::InvalidArgument("no node kind " + spec.kind);
    return it->second(env, spec);
}

}  // namespace cs::scenario
