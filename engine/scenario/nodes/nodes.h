#pragma once
// The node kinds of node_kinds.h, made runnable. One file per kind in this folder.
#include <memory>

#include "scenario/node.h"

namespace cs::scenario {

std::unique_ptr<Node> make_node(NodeEnv& env, const NodeSpec& spec);

std::unique_ptr<Node> make_source_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_pool_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_stage_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_fan_out_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_rate_limit_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_shared_rate_limit_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_bounded_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_merge_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_timeout_consumer_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_sink_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_error_group_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_origin_node(NodeEnv& env, const NodeSpec& spec);
std::unique_ptr<Node> make_cache_node(NodeEnv& env, const NodeSpec& spec);

}  // namespace cs::scenario
