#include "redis/cluster_client.h"

#include <optional>
#include <thread>

#include "redis/redis_error.h"
#include "redis/redis_info.h"
#include "runtime/blocking.h"
#include "runtime/errors.h"

namespace cs::redis {

ClusterClient::ClusterClient(std::vector<RedisUrl> seeds, ClusterClientOptions options)
    : m_seeds(std::move(seeds)), m_options(options) {
    if (m_seeds.empty())
        throw rt::InvalidArgument("a Redis Cluster client needs a node to start from (a seed URL)");
    for (const RedisUrl& seed : m_seeds)
        if (seed.db != 0)
            throw rt::InvalidArgument("a Redis Cluster has only database 0, and " + seed.text() +
                                      " names database " + std::to_string(seed.db) +
                                      ": drop the /" + std::to_string(seed.db));
    if (m_options.max_redirects < 1 || m_options.max_redirects > 100)
        rt::throw_out_of_range("cluster max redirects", m_options.max_redirects, "1 .. 100");
    if (m_options.refresh_interval.count() < 0)
        rt::throw_out_of_range("cluster refresh interval (ms)", m_options.refresh_interval.count(),
                               ">= 0");
}

ClusterClient::~ClusterClient() = default;

RedisUrl ClusterClient::url_of(const NodeAddress& node) const {
    RedisUrl url = m_seeds.front();  // every node takes the seeds' credentials
    url.host = node.host;
    url.port = node.port;
    return url;
}

std::shared_ptr<RedisClient> ClusterClient::client_for(const NodeAddress& node) {
    std::string name = node.text();
    {
        std::shared_lock lock(m_mu);
        if (auto it = m_clients.find(name); it != m_clients.end()) return it->second;
    }
    std::unique_lock lock(m_mu);
    auto& client = m_clients[name];
    if (!client) client = std::make_shared<RedisClient>(url_of(node), m_options.client);
    return client;
}

void ClusterClient::refresh_topology() {
    std::lock_guard refresh(m_refresh_mu);
    std::vector<NodeAddress> candidates;
    {
        std::shared_lock lock(m_mu);
        candidates = m_slots.masters();
    }
    for (const RedisUrl& seed : m_seeds) {
        NodeAddress node{seed.host, seed.port};
        if (std::find(candidates.begin(), candidates.end(), node) == candidates.end())
            candidates.push_back(node);
    }
    std::string errors;
    for (const NodeAddress& node : candidates) {
        try {
            SlotMap map = SlotMap::from_cluster_slots(
                client_for(node)->command_blocking({"CLUSTER", "SLOTS"}), node.host);
            if (map.empty()) {
                errors += "; " + node.text() + " serves no slot (not joined to a cluster yet?)";
                continue;
            }
            {
                std::unique_lock lock(m_mu);
                m_slots = std::move(map);
            }
            m_refreshes.fetch_add(1);
            m_refreshed_at = std::chrono::steady_clock::now();
            m_stale = false;
            return;
        } catch (const RedisError& e) {
            errors += std::string("; ") + e.what();
        }
    }
    throw RedisError(RedisErrorKind::down,
                     "no node of the Redis Cluster told its slots (CLUSTER SLOTS)" + errors);
}

// A reload when one is due: at once while there is no slot map; otherwise at most every
// refresh_interval, by one thread while the others go on with the map they have, and a failed
// reload leaves that map in use.
void ClusterClient::refresh_if_stale() {
    if (!m_stale.load()) return;
    bool have_map;
    {
        std::shared_lock lock(m_mu);
        have_map = !m_slots.empty();
    }
    if (!have_map) return refresh_topology();
    {
        std::unique_lock refresh(m_refresh_mu, std::try_to_lock);
        if (!refresh || std::chrono::steady_clock::now() - m_refreshed_at < m_options.refresh_interval)
            return;
    }
    try {
        refresh_topology();
    } catch (const RedisError&) {
    }
}

NodeAddress ClusterClient::owner_of(uint16_t slot) {
    refresh_if_stale();
    std::shared_lock lock(m_mu);
    if (const NodeAddress* owner = m_slots.owner(slot)) return *owner;
    m_stale = true;
    throw RedisError(RedisErrorKind::down,
                     "no master of the Redis Cluster serves slot " + std::to_string(slot) +
                         " (CLUSTER INFO on a node tells the cluster's state)");
}

void ClusterClient::note_connection_failure() {
    // The master may have failed over to a replica: the next call reloads the slot map.
    m_stale = true;
}

std::vector<Reply> ClusterClient::send(const NodeAddress& node, const std::vector<Command>& batch) {
    try {
        return client_for(node)->pipeline_blocking(batch);
    } catch (const RedisError& e) {
        if (!e.connection_usable()) note_connection_failure();
        throw;
    }
}

Reply ClusterClient::send(const Target& target, const Command& args) {
    if (!target.asking) return send(target.node, {args}).front();
    return send(target.node, {{"ASKING"}, args}).back();
}

bool ClusterClient::follow(const Reply& reply, Target& target) {
    if (!reply.is_error()) return false;
    Redirect redirect = parse_redirect(reply.str);
    if (redirect.to.host.empty()) redirect.to.host = target.node.host;
    switch (redirect.kind) {
        case Redirect::Kind::none:
            return false;
        case Redirect::Kind::moved: {
            m_moved.fetch_add(1);
            std::unique_lock lock(m_mu);
            m_slots.assign(redirect.slot, redirect.to);
            m_stale = true;  // a slot moved: others may have too
            target = {redirect.to, false};
            return true;
        }
        case Redirect::Kind::ask:
            m_ask.fetch_add(1);
            target = {redirect.to, true};
            return true;
        case Redirect::Kind::tryagain:
            // A multi-key command whose keys are split by a migration under way: the same node,
            // a moment later.
            m_tryagain.fetch_add(1);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            return true;
    }
    return false;
}

Reply ClusterClient::run(Target target, const Command& args, int redirects) {
    for (;; ++redirects) {
        Reply reply = send(target, args);
        if (redirects == m_options.max_redirects) {
            if (parse_redirect(reply.str).kind != Redirect::Kind::none && reply.is_error())
                reply.str += " (still redirected after " + std::to_string(redirects) +
                             " redirects: is the cluster resharding?)";
            return reply;
        }
        if (!follow(reply, target)) return reply;
    }
}

Reply ClusterClient::command_for_blocking(const std::string& key, const Command& args) {
    Reply reply = run({owner_of(key_slot(key)), false}, args, 0);
    if (reply.is_error())
        throw RedisError(RedisErrorKind::reply_error,
                         "Redis Cluster at " + m_seeds.front().text() + ": " + reply.str);
    return reply;
}

std::vector<Reply> ClusterClient::pipeline_for_blocking(const std::vector<KeyedCommand>& commands) {
    std::vector<std::pair<NodeAddress, std::vector<size_t>>> by_master;
    for (size_t i = 0; i < commands.size(); ++i) {
        NodeAddress owner = owner_of(key_slot(commands[i].key));
        auto group = std::find_if(by_master.begin(), by_master.end(),
                                  [&](const auto& g) { return g.first == owner; });
        if (group == by_master.end()) group = by_master.insert(by_master.end(), {owner, {}});
        group->second.push_back(i);
    }
    std::vector<Reply> replies(commands.size());
    std::optional<RedisError> failed;
    for (const auto& [master, indexes] : by_master) {
        std::vector<Command> batch;
        batch.reserve(indexes.size());
        for (size_t i : indexes) batch.push_back(commands[i].args);
        try {
            std::vector<Reply> answered = send(master, batch);
            for (size_t j = 0; j < indexes.size(); ++j) replies[indexes[j]] = std::move(answered[j]);
        } catch (const RedisError& e) {
            if (!failed) failed = e;
        }
    }
    if (failed) throw *failed;
    for (const auto& [master, indexes] : by_master)
        for (size_t i : indexes) {
            Target target{master, false};
            if (follow(replies[i], target)) replies[i] = run(target, commands[i].args, 1);
        }
    return replies;
}

// The awaited results go through named locals: GCC 12 mishandles temporaries in co_return
// co_await expressions.
rt::Task<Reply> ClusterClient::command_for(std::string key, Command args) {
    Reply reply =
        co_await rt::blocking([this, &key, &args] { return command_for_blocking(key, args); });
    co_return reply;
}

rt::Task<std::vector<Reply>> ClusterClient::pipeline_for(std::vector<KeyedCommand> commands) {
    std::vector<Reply> replies =
        co_await rt::blocking([this, &commands] { return pipeline_for_blocking(commands); });
    co_return replies;
}

std::vector<RedisUrl> ClusterClient::nodes() const {
    std::shared_lock lock(m_mu);
    if (m_slots.empty()) return m_seeds;
    std::vector<RedisUrl> out;
    for (const NodeAddress& master : m_slots.masters()) out.push_back(url_of(master));
    return out;
}

std::string ClusterClient::node_for(std::string_view key) {
    return owner_of(key_slot(key)).text();
}

ClusterCounters ClusterClient::counters() const {
    return {m_moved.load(), m_ask.load(), m_tryagain.load(), m_refreshes.load()};
}

std::vector<NodeHealth> ClusterClient::health() const {
    std::shared_lock lock(m_mu);
    std::vector<NodeHealth> out;
    for (const NodeAddress& master : m_slots.masters()) {
        auto it = m_clients.find(master.text());
        out.push_back({master.text(), it == m_clients.end() ? Health{} : it->second->health()});
    }
    return out;
}

bool ClusterClient::is_cluster_node(RedisClient& client) {
    Reply info = client.command_blocking({"INFO", "cluster"});
    RedisInfo parsed = parse_info(info.str, std::chrono::steady_clock::now());
    auto enabled = parsed.fields.find("cluster_enabled");
    return enabled != parsed.fields.end() && enabled->second == "1";
}

}  // namespace cs::redis
