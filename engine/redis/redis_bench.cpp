#include "redis/redis_bench.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "redis/redis_connection.h"
#include "redis/redis_error.h"
#include "runtime/errors.h"

namespace cs::redis {

namespace {

constexpr const char* bench_key = "key:__rand_int__";

void check(const BenchOptions& o) {
    if (o.clients < 1 || o.clients > 10'000)
        rt::throw_out_of_range("redis bench clients (-c)", o.clients, "1 .. 10000");
    if (o.requests < 1)
        rt::throw_out_of_range("redis bench requests (-n)", (long long)o.requests, "1 ..");
    if (o.pipeline < 1 || o.pipeline > 100'000)
        rt::throw_out_of_range("redis bench pipeline (-P)", o.pipeline, "1 .. 100000");
    if (o.data_size < 1 || o.data_size > (size_t(512) << 20))
        rt::throw_out_of_range("redis bench data size (-d)", (long long)o.data_size,
                               "1 .. 536870912");
    for (const std::string& t : o.tests)
        if (t != "set" && t != "get" && t != "ping")
            throw rt::InvalidArgument("redis bench test (-t): \"" + t +
                                      "\" is not one of: set, get, ping");
}

Command command_for(const std::string& test, const std::string& value) {
    if (test == "set") return {"SET", bench_key, value};
    if (test == "get") return {"GET", bench_key};
    return {"PING"};
}

BenchResult run_one(const std::vector<std::unique_ptr<RedisConnection>>& connections,
                    const std::string& test, const BenchOptions& o) {
    const std::vector<Command> batch(size_t(o.pipeline),
                                     command_for(test, std::string(o.data_size, 'x')));
    std::atomic<int64_t> remaining{int64_t(o.requests)};
    patterns::LatencyHistogram latency;
    std::exception_ptr failure;
    std::mutex failure_mu;
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (const auto& connection : connections) {
        threads.emplace_back([&, c = connection.get()] {
            try {
                for (;;) {
                    int64_t left = remaining.fetch_sub(o.pipeline);
                    if (left <= 0) return;
                    size_t n = size_t(std::min<int64_t>(left, o.pipeline));
                    auto sent = std::chrono::steady_clock::now();
                    std::vector<Reply> replies =
                        n == batch.size() ? c->pipeline(batch)
                                          : c->pipeline({batch.begin(), batch.begin() + long(n)});
                    auto took = std::chrono::steady_clock::now() - sent;
                    for (const Reply& r : replies)
                        if (r.is_error())
                            throw RedisError(RedisErrorKind::reply_error, test + ": " + r.str);
                    latency.record(took, replies.size());
                }
            } catch (...) {
                std::lock_guard lock(failure_mu);
                if (!failure) failure = std::current_exception();
                remaining = 0;
            }
        });
    }
    for (std::thread& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
    BenchResult r;
    for (char ch : test) r.test += char(std::toupper(static_cast<unsigned char>(ch)));
    r.requests = o.requests;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.requests_per_sec = r.seconds > 0 ? double(o.requests) / r.seconds : 0;
    r.latency = latency.summary();
    return r;
}

}  // namespace

std::vector<BenchResult> run_bench(const RedisUrl& url, const BenchOptions& options) {
    check(options);
    std::vector<std::unique_ptr<RedisConnection>> connections;
    for (int i = 0; i < options.clients; ++i) connections.push_back(RedisConnection::open(url));
    std::vector<BenchResult> results;
    for (const std::string& test : options.tests) results.push_back(run_one(connections, test, options));
    return results;
}

std::string bench_json(const BenchResult& r) {
    auto ms = [](rt::Duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
    nlohmann::ordered_json j;
    j["test"] = r.test;
    j["requests"] = r.requests;
    j["seconds"] = r.seconds;
    j["requests_per_sec"] = r.requests_per_sec;
    j["latency_ms"] = {{"p50", ms(r.latency.p50)}, {"p99", ms(r.latency.p99)},
                       {"max", ms(r.latency.max)}};
    return j.dump();
}

}  // namespace cs::redis
