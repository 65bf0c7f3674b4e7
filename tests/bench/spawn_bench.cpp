// Spawning: 200k tasks that each mark a WaitGroup done; item = one task.
#include "bench_support.h"

namespace cs::bench {
namespace {

void BM_SpawnJoin(benchmark::State& state) {
    Engine engine(options());
    constexpr int64_t tasks = 200'000;
    for (auto _ : state) {
        run(engine, [&engine]() -> Task<> {
            rt::WaitGroup wg;
            wg.add(tasks);
            for (int64_t i = 0; i < tasks; ++i) {
                engine.go("t", [&wg]() -> Task<> {
                    wg.done();
                    co_return;
                });
            }
            co_await wg.wait();
        });
    }
    state.SetItemsProcessed(state.iterations() * tasks);
}
BENCHMARK(BM_SpawnJoin)->UseRealTime();

}  // namespace
}  // namespace cs::bench
