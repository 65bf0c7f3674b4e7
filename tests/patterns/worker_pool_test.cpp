#include <mutex>
#include <set>

#include "pattern_test_support.h"
#include "patterns/worker_pool.h"

namespace cs::test {
namespace {

using patterns::Backpressure;
using patterns::Item;
using patterns::ShutdownMode;
using patterns::SubmitResult;
using patterns::WorkerPool;
using patterns::WorkerPoolOptions;
using rt::Context;
using rt::Status;

// Records which job ids the handler saw, and how often.
struct Seen {
    std::mutex mu;
    std::multiset<uint64_t> ids;
    void add(uint64_t id) {
        std::lock_guard lock(mu);
        ids.insert(id);
    }
};

TEST(WorkerPool, DrainProcessesEveryJobExactlyOnce) {
    Engine engine;
    Seen seen;
    WorkerPool pool(engine, {.name = "pool", .workers = 4, .queue_capacity = 8},
                    [&](Item& job, const Context&) -> Task<Status> {
                        seen.add(job.id);
                        job.value = job.value * 2;
                        co_await rt::yield_now();
                        co_return Status::ok;
                    });
    constexpr int jobs = 2000;
    int64_t sum = 0;
    size_t results = 0;
    auto consumer = engine.spawn("consumer", [&]() -> Task<> {
        while (auto r = co_await pool.results().recv()) {
            sum += r.value.value;
            ++results;
        }
    });
    run_task(engine, [&]() -> Task<> {
        for (int i = 1; i <= jobs; ++i)
            EXPECT_EQ(co_await pool.submit(Item{.id = uint64_t(i), .value = i}),
                      SubmitResult::accepted);
        auto report = co_await pool.shutdown(ShutdownMode::drain);
        EXPECT_EQ(report.completed, uint64_t(jobs));
        EXPECT_EQ(report.failed, 0u);
        EXPECT_EQ(report.left, 0u);
    });
    consumer.wait();  // results closes once the pool has shut down
    EXPECT_EQ(results, size_t(jobs));
    EXPECT_EQ(sum, int64_t(jobs) * (jobs + 1));  // 2 * (1 + ... + jobs)
    EXPECT_EQ(seen.ids.size(), size_t(jobs));
    for (int i = 1; i <= jobs; ++i) EXPECT_EQ(seen.ids.count(uint64_t(i)), 1u) << "job " << i;
    auto stats = pool.stats();
    EXPECT_EQ(stats.accepted, uint64_t(jobs));
    EXPECT_EQ(stats.latency.count, uint64_t(jobs));
    uint64_t per_worker = 0;
    for (const auto& w : stats.per_worker) per_worker += w.jobs;
    EXPECT_EQ(per_worker, uint64_t(jobs));
    EXPECT_TRUE(eventually([&] { return tasks_named(engine, "pool") == 0; }));
}

// A handler that holds every job until the gate opens: the queue fills deterministically.
struct Gate {
    Chan<int> open{0};
    WorkerPool::Handler handler() {
        return [this](Item&, const Context& ctx) -> Task<Status> {
            co_await rt::select(rt::recv_case(open), rt::recv_case(ctx.done()));
            co_return ctx.err();
        };
    }
};

void expect_overflow_policy(Backpressure policy, SubmitResult expected) {
    Engine engine;
    Gate gate;
    WorkerPool pool(engine,
                    {.name = "pool",
                     .workers = 1,
                     .queue_capacity = 2,
                     .backpressure = policy,
                     .results_capacity = 100},
                    gate.handler());
    run_task(engine, [&]() -> Task<> {
        EXPECT_EQ(co_await pool.submit(Item{.id = 1}), SubmitResult::accepted);
        // Wait until the worker holds job 1, so the queue is empty again.
        while (pool.stats().queued != 0) co_await rt::sleep_for(1ms);
        EXPECT_EQ(co_await pool.submit(Item{.id = 2}), SubmitResult::accepted);
        EXPECT_EQ(co_await pool.submit(Item{.id = 3}), SubmitResult::accepted);
        for (uint64_t id = 4; id <= 10; ++id)
            EXPECT_EQ(co_await pool.submit(Item{.id = id}), expected);
        gate.open.close();
        auto report = co_await pool.shutdown(ShutdownMode::drain);
        EXPECT_EQ(report.completed, 3u);
    });
    auto s = pool.stats();
    EXPECT_EQ(s.submitted, 10u);
    EXPECT_EQ(s.accepted, 3u);
    EXPECT_EQ(policy == Backpressure::drop_newest ? s.dropped : s.rejected, 7u);
}

TEST(WorkerPool, DropNewestDropsAndCountsWhenTheQueueIsFull) {
    expect_overflow_policy(Backpressure::drop_newest, SubmitResult::dropped);
}

TEST(WorkerPool, RejectRefusesWhenTheQueueIsFull) {
    expect_overflow_policy(Backpressure::reject, SubmitResult::rejected);
}

TEST(WorkerPool, BlockingSubmitGivesUpWhenItsContextIsCancelled) {
    Engine engine;
    Gate gate;
    WorkerPool pool(engine, {.name = "pool", .workers = 1, .queue_capacity = 0}, gate.handler());
    run_task(engine, [&]() -> Task<> {
        EXPECT_EQ(co_await pool.submit(Item{.id = 1}), SubmitResult::accepted);
        auto [ctx, cancel] = rt::with_timeout(Context::background(), 20ms);
        EXPECT_EQ(co_await pool.submit(Item{.id = 2}, ctx), SubmitResult::cancelled);
        auto report = co_await pool.shutdown(ShutdownMode::cancel);
        EXPECT_EQ(report.left, 1u);  // job 1, stopped in the handler
    });
    EXPECT_EQ(pool.stats().accepted, 1u);
}

TEST(WorkerPool, JobTimeoutFailsTheJobAndKeepsTheError) {
    Engine engine;
    WorkerPool pool(engine,
                    {.name = "pool", .workers = 2, .job_timeout = 20ms, .results_capacity = 10},
                    [](Item& job, const Context& ctx) -> Task<Status> {
                        co_return co_await rt::sleep_for(ctx, job.id == 1 ? 10s : 0ms);
                    });
    run_task(engine, [&]() -> Task<> {
        co_await pool.submit(Item{.id = 1});
        co_await pool.submit(Item{.id = 2});
        auto report = co_await pool.shutdown(ShutdownMode::drain);
        EXPECT_EQ(report.completed, 1u);
        EXPECT_EQ(report.failed, 1u);
    });
    auto s = pool.stats();
    EXPECT_EQ(s.timed_out, 1u);
    ASSERT_EQ(s.recent_errors.size(), 1u);
    EXPECT_EQ(s.recent_errors[0].job_id, 1u);
    EXPECT_EQ(s.recent_errors[0].message, "timed out after 20ms");
}

TEST(WorkerPool, AHandlerThatThrowsFailsItsJobOnly) {
    Engine engine;
    WorkerPool pool(engine, {.name = "pool", .workers = 2, .results_capacity = 100},
                    [](Item& job, const Context&) -> Task<Status> {
                        if (job.id % 10 == 0)
                            throw std::runtime_error("bad job " + std::to_string(job.id));
                        co_return Status::ok;
                    });
    run_task(engine, [&]() -> Task<> {
        for (uint64_t id = 1; id <= 50; ++id) co_await pool.submit(Item{.id = id});
        auto report = co_await pool.shutdown(ShutdownMode::drain);
        EXPECT_EQ(report.completed, 45u);
        EXPECT_EQ(report.failed, 5u);
    });
    auto s = pool.stats();
    ASSERT_EQ(s.recent_errors.size(), 5u);
    std::set<std::string> messages;
    for (const auto& e : s.recent_errors) messages.insert(e.message);
    EXPECT_TRUE(messages.count("bad job 30"));
    EXPECT_TRUE(engine.task_errors().empty());  // contained by the pool, not a crashed task
}

TEST(WorkerPool, CancelStopsNowAndAccountsForEveryAcceptedJob) {
    Engine engine;
    Seen seen;
    WorkerPool pool(engine,
                    {.name = "pool", .workers = 3, .queue_capacity = 100, .results_capacity = 1000},
                    [&](Item& job, const Context& ctx) -> Task<Status> {
                        seen.add(job.id);
                        co_return co_await rt::sleep_for(ctx, job.id <= 6 ? 1ms : 10s);
                    });
    run_task(engine, [&]() -> Task<> {
        for (uint64_t id = 1; id <= 60; ++id) co_await pool.submit(Item{.id = id});
        while (pool.stats().completed < 6) co_await rt::sleep_for(1ms);
        auto report = co_await pool.shutdown(ShutdownMode::cancel);
        EXPECT_EQ(report.completed, 6u);
        EXPECT_EQ(report.failed, 0u);
        EXPECT_EQ(report.completed + report.failed + report.left, 60u);
    });
    for (uint64_t id : seen.ids) EXPECT_EQ(seen.ids.count(id), 1u) << "job " << id << " ran twice";
    EXPECT_TRUE(eventually([&] { return tasks_named(engine, "pool") == 0; }));
}

TEST(WorkerPool, SubmitAfterShutdownIsClosed) {
    Engine engine;
    WorkerPool pool(engine, {.name = "pool", .workers = 1},
                    [](Item&, const Context&) -> Task<Status> { co_return Status::ok; });
    run_task(engine, [&]() -> Task<> {
        co_await pool.shutdown(ShutdownMode::drain);
        EXPECT_EQ(co_await pool.submit(Item{.id = 1}), SubmitResult::closed);
        EXPECT_THROW(co_await pool.shutdown(ShutdownMode::drain), rt::UsageError);
    });
}

TEST(WorkerPool, ResizesWhileRunningWithoutLosingJobs) {
    Engine engine;
    Seen seen;
    WorkerPool pool(engine,
                    {.name = "pool", .workers = 1, .queue_capacity = 4, .results_capacity = 10000},
                    [&](Item& job, const Context& ctx) -> Task<Status> {
                        seen.add(job.id);
                        co_return co_await rt::sleep_for(ctx, 100us);
                    });
    auto running = [&] {
        int n = 0;
        for (const auto& w : pool.stats().per_worker) n += w.running;
        return n;
    };
    run_task(engine, [&]() -> Task<> {
        for (uint64_t id = 1; id <= 300; ++id) {
            if (id == 100) pool.resize(4);
            if (id == 200) pool.resize(2);
            co_await pool.submit(Item{.id = id});
        }
        EXPECT_EQ(pool.stats().workers, 2);
        auto report = co_await pool.shutdown(ShutdownMode::drain);
        EXPECT_EQ(report.completed, 300u);
    });
    EXPECT_EQ(seen.ids.size(), 300u);
    for (uint64_t id = 1; id <= 300; ++id) EXPECT_EQ(seen.ids.count(id), 1u);
    EXPECT_EQ(pool.stats().per_worker.size(), 4u);  // four were started in all
    EXPECT_EQ(running(), 0);
    EXPECT_THROW(pool.resize(0), rt::InvalidArgument);
}

TEST(WorkerPool, ShrinkingRetiresFreeWorkersAndGrowingTakesBackWhatIsPending) {
    Engine engine;
    rt::Chan<int> release(0, "release");
    WorkerPool pool(engine, {.name = "pool", .workers = 3, .queue_capacity = 8},
                    [&](Item&, const Context&) -> Task<Status> {
                        co_await release.recv();  // busy until the test lets it go
                        co_return Status::ok;
                    });
    auto running = [&] {
        int n = 0;
        for (const auto& w : pool.stats().per_worker) n += w.running;
        return n;
    };
    run_task(engine, [&]() -> Task<> {
        for (uint64_t id = 1; id <= 3; ++id) co_await pool.submit(Item{.id = id});
        while (pool.stats().queued > 0) co_await rt::sleep_for(1ms);  // all three are busy
        pool.resize(1);  // two retirements wait for free workers...
        pool.resize(3);  // ...and are taken back before any worker acts on them
        for (int i = 0; i < 3; ++i) co_await release.send(i);
        co_await rt::sleep_for(20ms);
        EXPECT_EQ(running(), 3) << "nobody retired";
        EXPECT_EQ(pool.stats().per_worker.size(), 3u) << "nobody was started either";

        pool.resize(1);  // free workers now: two of them retire
        while (running() > 1) co_await rt::sleep_for(1ms);
        EXPECT_EQ(running(), 1);
        pool.resize(2);
        EXPECT_EQ(running(), 2);
        EXPECT_EQ(pool.stats().per_worker.size(), 4u);
        co_await pool.shutdown(ShutdownMode::drain);
    });
    EXPECT_EQ(running(), 0);
    // The pool's channels: its queue, its results and one retire channel, however many workers.
    size_t pool_channels = 0;
    const auto snapshot = engine.snapshot();
    for (const auto& c : snapshot->channels)
        if (c.name.rfind("pool ", 0) == 0) ++pool_channels;
    EXPECT_EQ(pool_channels, 3u);
}

TEST(WorkerPool, RejectsAPoolWithoutWorkers) {
    Engine engine;
    auto make = [&] {
        WorkerPool pool(engine, {.workers = 0},
                        [](Item&, const Context&) -> Task<Status> { co_return Status::ok; });
    };
    EXPECT_THROW(make(), rt::InvalidArgument);
}

}  // namespace
}  // namespace cs::test
