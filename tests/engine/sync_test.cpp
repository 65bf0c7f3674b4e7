#include <atomic>
#include <thread>
#include <vector>

#include "test_support.h"

namespace cs::test {
namespace {

using rt::Status;

TEST(Mutex, ExcludesAcrossTasksOnBothWorkers) {
    Engine engine;
    rt::Mutex mu("counter");
    long counter = 0;  // deliberately not atomic: the mutex is what protects it
    std::vector<rt::JoinHandle> hs;
    for (int t = 0; t < 8; ++t) {
        hs.push_back(engine.spawn("incrementer", [&]() -> Task<> {
            for (int i = 0; i < 2000; ++i) {
                auto guard = co_await mu.scoped();
                long v = counter;
                if (i % 64 == 0) co_await rt::yield_now();  // hold it across a switch now and then
                counter = v + 1;
            }
        }));
    }
    for (auto& h : hs) h.wait();
    EXPECT_EQ(counter, 16000);
    EXPECT_FALSE(mu.locked());
}

TEST(Mutex, UnlockOfUnlockedThrows) {
    Engine engine;
    rt::Mutex mu("m");
    EXPECT_THROW(mu.unlock(), rt::UsageError);
    EXPECT_TRUE(mu.try_lock());
    EXPECT_FALSE(mu.try_lock());
    mu.unlock();
}

TEST(Mutex, WaitersGetTheLockInArrivalOrder) {
    Engine engine(EngineOptions{.deterministic = true});
    rt::Mutex mu("fifo");
    std::vector<int> order;
    run_task(engine, [&]() -> Task<> {
        co_await mu.lock();
        for (int i = 0; i < 5; ++i) {
            engine.go("waiter", [&, i]() -> Task<> {
                co_await mu.lock();
                order.push_back(i);
                mu.unlock();
            });
            // Let waiter i park before spawning the next one.
            co_await rt::sleep_for(1ms);
        }
        mu.unlock();
        co_await rt::sleep_for(1ms);
    });
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(WaitGroup, WaitsForEveryDoneFromTasksAndThreads) {
    Engine engine;
    rt::WaitGroup wg;
    std::atomic<int> finished{0};
    wg.add(10);
    for (int i = 0; i < 10; ++i) {
        engine.go("w", [&]() -> Task<> {
            co_await rt::sleep_for(1ms);
            finished.fetch_add(1);
            wg.done();
        });
    }
    wg.wait_blocking();
    EXPECT_EQ(finished.load(), 10);
    EXPECT_EQ(wg.count(), 0);
}

TEST(WaitGroup, NegativeCounterThrows) {
    rt::WaitGroup wg;
    EXPECT_THROW(wg.done(), rt::UsageError);
    EXPECT_EQ(wg.count(), 0);
}

TEST(Semaphore, SizeAndWeightsAreValidated) {
    Engine engine;
    try {
        rt::Semaphore bad(0, "bad");
        FAIL();
    } catch (const rt::InvalidArgument& e) {
        EXPECT_STREQ(e.what(), "semaphore size: 0 is out of range (allowed: 1 .. 2^63-1)");
    }
    EXPECT_THROW(rt::Semaphore(-3), rt::InvalidArgument);
    rt::Semaphore sem(2, "s");
    EXPECT_THROW(sem.try_acquire(0), rt::InvalidArgument);
    EXPECT_THROW((void)sem.acquire(3), rt::InvalidArgument);
    EXPECT_THROW(sem.release(1), rt::UsageError);  // nothing held
}

TEST(Semaphore, AcquireWithContextFailsAtOnceWhenNExceedsSize) {
    Engine engine;
    rt::Semaphore sem(2, "s");
    run_task(engine, [&]() -> Task<> {
        EXPECT_EQ(co_await sem.acquire(rt::Context::background(), 3), Status::exceeds_size);
        EXPECT_EQ(sem.held(), 0);
    });
}

TEST(Semaphore, LimitsConcurrencyToItsSize) {
    Engine engine;
    rt::Semaphore sem(3, "slots");
    std::atomic<int> inside{0}, max_inside{0};
    std::vector<rt::JoinHandle> hs;
    for (int t = 0; t < 12; ++t) {
        hs.push_back(engine.spawn("user", [&]() -> Task<> {
            co_await sem.acquire(1);
            int now = inside.fetch_add(1) + 1;
            int prev = max_inside.load();
            while (now > prev && !max_inside.compare_exchange_weak(prev, now)) {
            }
            co_await rt::sleep_for(2ms);
            inside.fetch_sub(1);
            sem.release(1);
        }));
    }
    for (auto& h : hs) h.wait();
    EXPECT_EQ(max_inside.load(), 3);
    EXPECT_EQ(sem.held(), 0);
    EXPECT_EQ(sem.acquisitions(), 12u);
}

TEST(Semaphore, FifoHeadOfLineBlocksSmallerLaterRequests) {
    Engine engine(EngineOptions{.deterministic = true});
    rt::Semaphore sem(4, "weighted");
    std::vector<std::string> order;
    run_task(engine, [&]() -> Task<> {
        co_await sem.acquire(3);  // 1 left
        engine.go("big", [&]() -> Task<> {
            co_await sem.acquire(4);  // must wait for everything
            order.push_back("big");
            sem.release(4);
        });
        co_await rt::sleep_for(1ms);
        engine.go("small", [&]() -> Task<> {
            co_await sem.acquire(1);  // would fit now, but "big" is ahead in the queue
            order.push_back("small");
            sem.release(1);
        });
        co_await rt::sleep_for(1ms);
        EXPECT_TRUE(order.empty());
        EXPECT_EQ(sem.waiters(), 2u);
        sem.release(3);
        co_await rt::sleep_for(1ms);
    });
    EXPECT_EQ(order, (std::vector<std::string>{"big", "small"}));
}

TEST(Semaphore, CancelledWhileWaitingHoldsNothingAndLetsOthersThrough) {
    Engine engine;
    rt::Semaphore sem(2, "s");
    auto [ctx, cancel] = rt::with_cancel(rt::Context::background());
    std::atomic<int> big_status{-1};
    std::atomic<bool> small_got_it{false};
    run_task(engine, [&]() -> Task<> { co_await sem.acquire(1); });
    auto big = engine.spawn("big", [&, ctx = ctx]() -> Task<> {
        big_status = static_cast<int>(co_await sem.acquire(ctx, 2));
    });
    ASSERT_TRUE(eventually([&] { return sem.waiters() == 1; }));
    auto small = engine.spawn("small", [&]() -> Task<> {
        co_await sem.acquire(1);  // queued behind "big"
        small_got_it = true;
    });
    ASSERT_TRUE(eventually([&] { return sem.waiters() == 2; }));
    auto snap = engine.snapshot();
    ASSERT_EQ(snap->semaphores.size(), 1u);
    EXPECT_EQ(snap->semaphores[0].waiters, 2u);
    EXPECT_EQ(snap->semaphores[0].held, 1);
    cancel();
    big.wait();
    small.wait();
    EXPECT_EQ(big_status.load(), static_cast<int>(Status::cancelled));
    EXPECT_TRUE(small_got_it.load());
    EXPECT_EQ(sem.held(), 2);
}

}  // namespace
}  // namespace cs::test
