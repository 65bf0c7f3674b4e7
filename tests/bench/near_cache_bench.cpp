// Near cache: gets that hit L1, on 100k string keys "key:<i>" — the shape of BM_LocalCacheGetHit,
// through the near cache's read path (tracking on, so L1 is trusted). Item = one get. Needs
// redis-server (scripts/deps.sh installs it): the near cache is filled from a private server
// started on a free loopback port, and it is skipped with a message where there is none.
#include <memory>
#include <string>
#include <vector>

#include "bench_support.h"
#include "engine.h"
#include "redis/near_cache.h"
#include "redis/redis_client.h"
#include "redis_server.h"

namespace cs::bench {
namespace {

constexpr int near_keys = 100'000;

const std::vector<std::string>& near_key_names() {
    static const std::vector<std::string> keys = [] {
        std::vector<std::string> k;
        for (int i = 0; i < near_keys; ++i) k.push_back("key:" + std::to_string(i));
        return k;
    }();
    return keys;
}

// Started once, on the thread that runs single-threaded benchmarks (the main thread), which
// outlives it; stopped at exit.
std::unique_ptr<test::RedisServer> server;

redis::NearCache* make_filled_near_cache(std::string& error) {
    if (!test::RedisServer::available()) {
        error = "redis-server is not installed (scripts/deps.sh installs it)";
        return nullptr;
    }
    server = std::make_unique<test::RedisServer>();
    auto url = redis::parse_redis_url(server->url());
    redis::RedisClient writer(url);
    const auto& keys = near_key_names();
    for (size_t first = 0; first < keys.size(); first += 1000) {
        std::vector<redis::Command> sets;
        for (size_t i = first; i < first + 1000 && i < keys.size(); ++i)
            sets.push_back({"SET", keys[i], keys[i]});
        writer.pipeline_blocking(sets);
    }
    auto* engine = new Engine();
    auto* near = new redis::NearCache(*engine, url, {.name = "bench", .l1_capacity = 2 * near_keys});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!near->tracking() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    engine
        ->spawn("fill",
                [near, &keys]() -> rt::Task<> {
                    for (size_t first = 0; first < keys.size(); first += 1000) {
                        std::vector<std::string> batch(keys.begin() + long(first),
                                                       keys.begin() + long(first + 1000));
                        co_await near->mget(std::move(batch));
                    }
                })
        .wait();
    if (near->l1_size() != keys.size()) error = "the near cache's L1 did not fill";
    return near;
}

void BM_NearCacheGetHit(benchmark::State& state) {
    static std::string error;
    static redis::NearCache* near = make_filled_near_cache(error);
    if (!error.empty()) {
        state.SkipWithError(error.c_str());
        return;
    }
    const auto& keys = near_key_names();
    size_t i = 0;
    int64_t hits = 0;
    std::string value;
    for (auto _ : state) {
        hits += near->get_local(keys[i % near_keys], value);
        i += 7;
    }
    if (hits != state.iterations()) state.SkipWithError("a get missed L1");
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NearCacheGetHit)->UseRealTime();

}  // namespace
}  // namespace cs::bench
