#include <atomic>
#include <set>
#include <thread>

#include "test_support.h"

namespace cs::test {
namespace {

TEST(Scheduler, SpawnsManyTasksFromATaskAndJoinsThemAll) {
    Engine engine;
    constexpr int64_t tasks = 200'000;
    std::atomic<int64_t> ran{0};
    run_task(engine, [&]() -> Task<> {
        rt::WaitGroup wg;
        wg.add(tasks);
        for (int64_t i = 0; i < tasks; ++i) {
            engine.go("t", [&]() -> Task<> {
                ran.fetch_add(1);
                wg.done();
                co_return;
            });
        }
        co_await wg.wait();
    });
    EXPECT_EQ(ran.load(), tasks);
    EXPECT_TRUE(eventually([&] { return engine.live_tasks() == 0; }));
}

}  // namespace
}  // namespace cs::test
