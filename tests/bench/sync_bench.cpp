// Synchronization primitives on their uncontended fast paths.
#include "bench_support.h"

namespace cs::bench {
namespace {

void BM_RateLimiterAllow(benchmark::State& state) {
    Engine engine(options());
    rt::RateLimiter limiter(rt::RateLimiter::inf, 1, "bench");
    for (auto _ : state) benchmark::DoNotOptimize(limiter.allow());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RateLimiterAllow);

void BM_SemaphoreAcquireRelease(benchmark::State& state) {
    Engine engine(options());
    rt::Semaphore sem(1 << 30, "bench");
    constexpr int64_t pairs = 1'000'000;
    for (auto _ : state) {
        run(engine, [&]() -> Task<> {
            for (int64_t i = 0; i < pairs; ++i) {
                co_await sem.acquire(1);
                sem.release(1);
            }
        });
    }
    state.SetItemsProcessed(state.iterations() * pairs);
}
BENCHMARK(BM_SemaphoreAcquireRelease)->UseRealTime();

}  // namespace
}  // namespace cs::bench
