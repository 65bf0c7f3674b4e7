#include "redis/redis_bench.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
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
    if (o.threads < 1 || o.threads > 64)
        rt::throw_out_of_range("redis bench threads (--threads)", o.threads, "1 .. 64");
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

using Clock = std::chrono::steady_clock;

// One thread's connections, driven the way redis-benchmark's event loop drives its clients: each
// connection has one batch in flight and sends the next as soon as the last reply of the batch
// is in, so no connection waits while its thread is stuck on another socket, and one thread
// serves them all without a context switch per reply (a thread per connection spent the cores
// the server needs on switching: 0.8x redis-benchmark's rate at -P 16).
void drive(const std::vector<RedisConnection*>& connections, const std::vector<Command>& batch,
           const std::string& test, std::atomic<int64_t>& remaining,
           patterns::LatencyHistogram& latency) {
    struct InFlight {
        size_t expected = 0, received = 0;
        Clock::time_point sent;
    };
    std::vector<InFlight> flight(connections.size());
    const int64_t pipeline = int64_t(batch.size());
    auto send_next = [&](size_t i) {
        int64_t left = remaining.fetch_sub(pipeline);
        if (left <= 0) return false;
        size_t n = size_t(std::min(left, pipeline));
        flight[i] = {n, 0, Clock::now()};
        if (n == batch.size())
            connections[i]->send(batch);
        else
            connections[i]->send(std::vector<Command>(batch.begin(), batch.begin() + long(n)));
        return true;
    };
    std::vector<size_t> busy, still_busy;
    for (size_t i = 0; i < connections.size(); ++i)
        if (send_next(i)) busy.push_back(i);
    const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
        ConnectOptions{}.command_timeout);
    std::vector<pollfd> fds;
    while (!busy.empty()) {
        fds.clear();
        for (size_t i : busy) fds.push_back({connections[i]->socket(), POLLIN, 0});
        int ready = ::poll(fds.data(), nfds_t(fds.size()), int(timeout.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) throw RedisError(RedisErrorKind::io, std::string("poll: ") + std::strerror(errno));
        if (ready == 0)
            throw RedisError(RedisErrorKind::timeout,
                             test + ": no reply from " + connections[busy[0]]->url().text() +
                                 " within " + std::to_string(timeout.count()) + " ms");
        still_busy.clear();
        for (size_t k = 0; k < busy.size(); ++k) {
            size_t i = busy[k];
            if (fds[k].revents != 0) {
                std::vector<Reply> replies = connections[i]->read_ready();
                for (const Reply& r : replies)
                    if (r.is_error()) throw RedisError(RedisErrorKind::reply_error, test + ": " + r.str);
                flight[i].received += replies.size();
                if (flight[i].received == flight[i].expected) {
                    latency.record(Clock::now() - flight[i].sent, flight[i].expected);
                    if (!send_next(i)) continue;
                }
            }
            still_busy.push_back(i);
        }
        busy.swap(still_busy);
    }
}

BenchResult run_one(const std::vector<std::unique_ptr<RedisConnection>>& connections,
                    const std::string& test, const BenchOptions& o) {
    const std::vector<Command> batch(size_t(o.pipeline),
                                     command_for(test, std::string(o.data_size, 'x')));
    std::atomic<int64_t> remaining{int64_t(o.requests)};
    patterns::LatencyHistogram latency;
    std::exception_ptr failure;
    std::mutex failure_mu;
    const size_t threads = std::min(size_t(o.threads), connections.size());
    auto start = Clock::now();
    std::vector<std::thread> loops;
    for (size_t t = 0; t < threads; ++t) {
        std::vector<RedisConnection*> mine;
        for (size_t i = t; i < connections.size(); i += threads) mine.push_back(connections[i].get());
        loops.emplace_back([&, mine = std::move(mine)] {
            try {
                drive(mine, batch, test, remaining, latency);
            } catch (...) {
                std::lock_guard lock(failure_mu);
                if (!failure) failure = std::current_exception();
                remaining = 0;
            }
        });
    }
    for (std::thread& t : loops) t.join();
    if (failure) std::rethrow_exception(failure);
    BenchResult r;
    for (char ch : test) r.test += char(std::toupper(static_cast<unsigned char>(ch)));
    r.requests = o.requests;
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
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
