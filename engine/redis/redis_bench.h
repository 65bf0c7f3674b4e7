#pragma once
// Redis throughput and latency of our own client, in the shape of redis-benchmark so the two
// can be compared on one server: `clients` connections driven by `threads` event loops (one by
// default, as redis-benchmark runs), each connection with `pipeline` commands in flight, sending
// the next batch as soon as its last reply is in, until `requests` are done per test; SET writes
// `data_size` bytes to "key:__rand_int__" (redis-benchmark's key without -r), GET reads it
// back. A request's latency is its batch's round trip, as redis-benchmark counts it.
//
//   std::vector<BenchResult> r = run_bench(url, {.clients = 50, .requests = 100'000});
#include <string>
#include <vector>

#include "patterns/latency_histogram.h"
#include "redis/redis_url.h"

namespace cs::redis {

struct BenchOptions {
    int clients = 50;           // connections, 1 .. 10000
    uint64_t requests = 100'000;  // per test, >= 1
    int pipeline = 1;           // commands per round trip, 1 .. 100000
    int threads = 1;            // event loops sharing the connections, 1 .. 64
    size_t data_size = 3;       // SET value bytes, 1 .. 512 MiB
    std::vector<std::string> tests{"set", "get"};  // of: set, get, ping
};

struct BenchResult {
    std::string test;  // "SET", "GET", "PING"
    uint64_t requests = 0;
    double seconds = 0;
    double requests_per_sec = 0;
    patterns::LatencySummary latency;
};

// Throws RedisError (connection failures, an error reply) or rt::InvalidArgument (options
// out of range, naming the option and the range).
std::vector<BenchResult> run_bench(const RedisUrl& url, const BenchOptions& options);

// One result as one JSON object on one line: test, requests, seconds, requests_per_sec,
// latency_ms {p50, p99, max}.
std::string bench_json(const BenchResult& r);

}  // namespace cs::redis
