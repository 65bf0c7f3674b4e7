// Pattern shapes: a worker pool and a three-stage pipeline.
#include "bench_support.h"

namespace cs::bench {
namespace {

void BM_WorkerPool(benchmark::State& state) {
    Engine engine(options());
    constexpr int workers = 8;
    constexpr int64_t jobs_count = 1'000'000;
    for (auto _ : state) {
        Chan<int64_t> jobs(100), results(100);
        engine.go("dispatcher", [=]() mutable -> Task<> {
            for (int64_t i = 0; i < jobs_count; ++i) co_await jobs.send(i);
            jobs.close();
        });
        auto working = std::make_shared<rt::WaitGroup>();
        working->add(workers);
        for (int w = 0; w < workers; ++w) {
            engine.go("worker", [=]() mutable -> Task<> {
                while (auto j = co_await jobs.recv()) co_await results.send(j.value * j.value);
                working->done();
            });
        }
        engine.go("closer", [=]() mutable -> Task<> {
            co_await working->wait();
            results.close();
        });
        int64_t sum = 0;
        run(engine, [=, &sum]() mutable -> Task<> {
            while (auto r = co_await results.recv()) sum += r.value;
        });
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * jobs_count);
}
BENCHMARK(BM_WorkerPool)->UseRealTime();

void BM_Pipeline3(benchmark::State& state) {
    Engine engine(options());
    constexpr int64_t values = 1'000'000;
    for (auto _ : state) {
        Chan<int64_t> numbers(64), squares(64);
        engine.go("generator", [=]() mutable -> Task<> {
            for (int64_t i = 0; i < values; ++i) co_await numbers.send(i);
            numbers.close();
        });
        engine.go("square", [=]() mutable -> Task<> {
            while (auto n = co_await numbers.recv()) co_await squares.send(n.value * n.value);
            squares.close();
        });
        int64_t sum = 0;
        run(engine, [=, &sum]() mutable -> Task<> {
            while (auto s = co_await squares.recv()) sum += s.value;
        });
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * values);
}
BENCHMARK(BM_Pipeline3)->UseRealTime();

}  // namespace
}  // namespace cs::bench
