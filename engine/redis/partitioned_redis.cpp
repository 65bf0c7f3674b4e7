#include "redis/partitioned_redis.h"

#include <exception>
#include <mutex>

#include "redis/redis_error.h"
#include "runtime/errors.h"

namespace cs::redis {

std::string PartitionedRedis::node_name(const RedisUrl& url) {
    RedisUrl bare = url;
    bare.user.clear();
    bare.password = Secret();
    return bare.text();
}

PartitionedRedis::PartitionedRedis(const std::vector<RedisUrl>& nodes,
                                   PartitionedRedisOptions options)
    : m_options(std::move(options)), m_ring(m_options.points_per_node) {
    for (const RedisUrl& url : nodes) add_node(url);
}

PartitionedRedis::~PartitionedRedis() = default;

void PartitionedRedis::add_node(const RedisUrl& url) {
    std::string name = node_name(url);
    // Built before taking the lock: a bad option throws here and changes nothing.
    auto client = std::make_shared<RedisClient>(url, m_options.client);
    std::unique_lock lock(m_mu);
    if (m_nodes.count(name))
        throw rt::InvalidArgument("partitioned Redis: " + name + " is already a node");
    m_ring.add_node(name);
    m_nodes.emplace(name, Node{url, std::move(client)});
}

bool PartitionedRedis::remove_node(const RedisUrl& url) {
    std::string name = node_name(url);
    std::shared_ptr<RedisClient> gone;  // its connections close after the lock is released
    std::unique_lock lock(m_mu);
    auto it = m_nodes.find(name);
    if (it == m_nodes.end()) return false;
    m_ring.remove_node(name);
    gone = std::move(it->second.client);
    m_nodes.erase(it);
    return true;
}

std::shared_ptr<RedisClient> PartitionedRedis::client_for(std::string_view key) const {
    std::shared_lock lock(m_mu);
    return m_nodes.at(m_ring.node_for(key)).client;
}

std::vector<std::pair<std::string, std::shared_ptr<RedisClient>>> PartitionedRedis::all_clients()
    const {
    std::shared_lock lock(m_mu);
    std::vector<std::pair<std::string, std::shared_ptr<RedisClient>>> out;
    for (const std::string& name : m_ring.nodes()) out.emplace_back(name, m_nodes.at(name).client);
    return out;
}

rt::Task<Reply> PartitionedRedis::command_for(std::string key, Command args) {
    std::shared_ptr<RedisClient> client = client_for(key);
    Reply reply = co_await client->command(std::move(args));
    co_return reply;
}

Reply PartitionedRedis::command_for_blocking(const std::string& key, const Command& args) {
    return client_for(key)->command_blocking(args);
}

rt::Task<std::vector<Reply>> PartitionedRedis::pipeline_for(std::vector<KeyedCommand> commands) {
    // The commands of one server, and where each reply goes in the answer.
    struct Batch {
        std::shared_ptr<RedisClient> client;
        std::vector<Command> commands;
        std::vector<size_t> positions;
    };
    std::vector<Batch> batches;
    if (!commands.empty()) {
        std::shared_lock lock(m_mu);  // one ring for the whole call, even if a node is added
        std::map<std::string_view, size_t> batch_of;
        for (size_t i = 0; i < commands.size(); ++i) {
            const std::string& name = m_ring.node_for(commands[i].key);
            auto [it, fresh] = batch_of.try_emplace(name, batches.size());
            if (fresh) batches.push_back({m_nodes.at(name).client, {}, {}});
            batches[it->second].commands.push_back(std::move(commands[i].args));
            batches[it->second].positions.push_back(i);
        }
    }
    std::vector<Reply> replies(commands.size());
    std::exception_ptr failure;
    for (Batch& batch : batches) {
        try {
            std::vector<Reply> got = co_await batch.client->pipeline(std::move(batch.commands));
            for (size_t j = 0; j < got.size(); ++j) replies[batch.positions[j]] = std::move(got[j]);
        } catch (const RedisError&) {
            if (!failure) failure = std::current_exception();  // the other servers still run
        }
    }
    if (failure) std::rethrow_exception(failure);
    co_return replies;
}

std::vector<RedisUrl> PartitionedRedis::nodes() const {
    std::shared_lock lock(m_mu);
    std::vector<RedisUrl> out;
    for (const std::string& name : m_ring.nodes()) out.push_back(m_nodes.at(name).url);
    return out;
}

std::string PartitionedRedis::node_for(std::string_view key) const {
    std::shared_lock lock(m_mu);
    return m_ring.node_for(key);  // a copy: the ring may change once the lock is released
}

std::vector<NodeKeyCount> PartitionedRedis::key_counts(const std::vector<std::string>& keys) const {
    std::shared_lock lock(m_mu);
    std::vector<NodeKeyCount> out;
    std::map<std::string_view, size_t> index;
    for (const std::string& name : m_ring.nodes()) {
        index.emplace(name, out.size());
        out.push_back({name, 0});
    }
    for (const std::string& key : keys) ++out[index.at(m_ring.node_for(key))].keys;
    return out;
}

rt::Task<std::vector<NodeSize>> PartitionedRedis::db_sizes() {
    auto clients = all_clients();
    std::vector<NodeSize> sizes;
    for (auto& node : clients) {
        Command dbsize{"DBSIZE"};
        try {
            Reply r = co_await node.second->command(std::move(dbsize));
            sizes.push_back({node.first, r.integer, {}});
        } catch (const RedisError& e) {
            sizes.push_back({node.first, std::nullopt, e.what()});
        }
    }
    co_return sizes;
}

std::vector<NodeSize> PartitionedRedis::db_sizes_blocking() {
    std::vector<NodeSize> sizes;
    for (auto& [name, client] : all_clients()) {
        try {
            sizes.push_back({name, client->command_blocking({"DBSIZE"}).integer, {}});
        } catch (const RedisError& e) {
            sizes.push_back({name, std::nullopt, e.what()});
        }
    }
    return sizes;
}

std::vector<NodeHealth> PartitionedRedis::health() const {
    std::vector<NodeHealth> out;
    for (auto& [name, client] : all_clients()) out.push_back({name, client->health()});
    return out;
}

}  // namespace cs::redis
