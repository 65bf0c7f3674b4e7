#include <atomic>

#include "test_support.h"

namespace cs::test {
namespace {

using rt::default_case;
using rt::recv_case;
using rt::select;
using rt::send_case;

TEST(Select, DefaultRunsWhenNothingIsReady) {
    Engine engine;
    Chan<int> empty(0, "empty");
    run_task(engine, [=]() -> Task<> {
        int chosen = co_await select(recv_case(empty), default_case());
        EXPECT_EQ(chosen, 1);
    });
}

TEST(Select, ReceivesFromTheReadyChannel) {
    Engine engine;
    Chan<int> a(1, "a"), b(1, "b");
    run_task(engine, [=]() mutable -> Task<> {
        co_await b.send(42);
        int v = 0;
        bool ok = false;
        int chosen = co_await select(recv_case(a, v, ok), recv_case(b, v, ok));
        EXPECT_EQ(chosen, 1);
        EXPECT_EQ(v, 42);
        EXPECT_TRUE(ok);
    });
}

TEST(Select, SendCaseDeliversToAParkedReceiver) {
    Engine engine;
    Chan<int> out(0, "out");
    std::atomic<int> got{0};
    engine.go("receiver", [=, &got]() mutable -> Task<> { got = (co_await out.recv()).value; });
    run_task(engine, [=]() -> Task<> {
        Chan<int> never;  // nil: never ready
        int chosen = co_await select(recv_case(never), send_case(out, 7));
        EXPECT_EQ(chosen, 1);
    });
    EXPECT_TRUE(eventually([&] { return got.load() == 7; }));
}

TEST(Select, ParksUntilOneCaseBecomesReady) {
    Engine engine;
    Chan<int> a(0, "a"), b(0, "b");
    std::atomic<int> chosen{-1}, value{0};
    auto h = engine.spawn("selector", [=, &chosen, &value]() mutable -> Task<> {
        int v = 0;
        chosen = co_await select(recv_case(a, v), recv_case(b, v));
        value = v;
    });
    ASSERT_TRUE(eventually([&] {
        auto s = engine.snapshot();
        return s->count_in_state(rt::TaskState::blocked) == 1 &&
               s->tasks.front().reason == rt::WaitReason::select;
    }));
    b.send_blocking(5);
    h.wait();
    EXPECT_EQ(chosen.load(), 1);
    EXPECT_EQ(value.load(), 5);
    // The losing case's wait node left channel a: a later sender there must not find it.
    EXPECT_FALSE(a.try_send(1));
}

TEST(Select, ChoosesUniformlyAmongReadyCases) {
    Engine engine;
    Chan<int> a(1, "a"), b(1, "b");
    int first = 0;
    constexpr int rounds = 20000;
    run_task(engine, [&]() -> Task<> {
        for (int i = 0; i < rounds; ++i) {
            a.try_send(1);
            b.try_send(1);
            int chosen = co_await select(recv_case(a), recv_case(b));
            if (chosen == 0) ++first;
        }
    });
    // Binomial(20000, 0.5): standard deviation ~71; 45%..55% is far beyond chance.
    EXPECT_GT(first, rounds * 45 / 100);
    EXPECT_LT(first, rounds * 55 / 100);
}

TEST(Select, NilChannelCaseNeverFires) {
    Engine engine;
    Chan<int> nil, ready(1, "ready");
    ready.try_send(3);
    run_task(engine, [=]() -> Task<> {
        for (int i = 0; i < 100; ++i) {
            int chosen = co_await select(recv_case(nil), default_case());
            EXPECT_EQ(chosen, 1);
        }
        EXPECT_EQ(co_await select(recv_case(nil), recv_case(ready)), 1);
    });
}

TEST(Select, TimeoutFiresThroughAfter) {
    Engine engine(EngineOptions{.deterministic = true});
    Chan<int> never(0, "never");
    run_task(engine, [&]() -> Task<> {
        rt::TimePoint start = engine.clock().now();
        int chosen = co_await select(recv_case(never), recv_case(rt::after(250ms)));
        EXPECT_EQ(chosen, 1);
        EXPECT_EQ(engine.clock().now() - start, rt::Duration(250ms));
    });
}

TEST(Select, ContextDoneCaseFiresOnCancel) {
    Engine engine;
    Chan<int> never(0, "never");
    auto [ctx, cancel] = rt::with_cancel(rt::Context::background());
    auto h = engine.spawn("waiter", [=]() -> Task<> {
        int chosen = co_await select(recv_case(never), recv_case(ctx.done()));
        EXPECT_EQ(chosen, 1);
        EXPECT_EQ(ctx.err(), rt::Status::cancelled);
    });
    ASSERT_TRUE(
        eventually([&] { return engine.snapshot()->count_in_state(rt::TaskState::blocked) == 1; }));
    cancel();
    h.wait();
}

TEST(Select, ClosedChannelCaseReportsNotOk) {
    Engine engine;
    Chan<int> closed(0, "closed");
    closed.close();
    run_task(engine, [=]() -> Task<> {
        int v = 99;
        bool ok = true;
        int chosen = co_await select(recv_case(closed, v, ok));
        EXPECT_EQ(chosen, 0);
        EXPECT_FALSE(ok);
        EXPECT_EQ(v, 0);
    });
}

TEST(Select, SendCaseOnClosedChannelThrows) {
    Engine engine;
    Chan<int> closed(1, "closed");
    closed.close();
    EXPECT_THROW(run_task(engine, [=]() -> Task<> { co_await select(send_case(closed, 1)); }),
                 rt::ChannelError);
}

TEST(Select, ClosingWhileParkedWakesTheSelect) {
    Engine engine;
    Chan<int> a(0, "a");
    std::atomic<bool> saw_close{false};
    auto h = engine.spawn("selector", [=, &saw_close]() -> Task<> {
        bool ok = true;
        int v = 0;
        co_await select(recv_case(a, v, ok), recv_case(Chan<int>{}));
        saw_close = !ok;
    });
    ASSERT_TRUE(
        eventually([&] { return engine.snapshot()->count_in_state(rt::TaskState::blocked) == 1; }));
    a.close();
    h.wait();
    EXPECT_TRUE(saw_close.load());
}

TEST(Select, ManySelectorsAndSendersLoseNothing) {
    Engine engine;
    Chan<int> a(0, "a"), b(4, "b");
    constexpr int per_sender = 5000;
    std::atomic<long> sum{0};
    for (Chan<int> ch : {a, b}) {
        engine.go("sender", [=]() -> Task<> {
            for (int i = 1; i <= per_sender; ++i) co_await ch.send(i);
            ch.close();
        });
    }
    std::vector<rt::JoinHandle> selectors;
    for (int s = 0; s < 4; ++s) {
        selectors.push_back(engine.spawn("selector", [=, &sum]() -> Task<> {
            Chan<int> x = a, y = b;  // Go's idiom: nil a channel once it is closed and drained
            while (!x.is_nil() || !y.is_nil()) {
                int v = 0;
                bool ok = false;
                int chosen = co_await select(recv_case(x, v, ok), recv_case(y, v, ok));
                if (!ok) {
                    (chosen == 0 ? x : y) = Chan<int>{};
                    continue;
                }
                sum.fetch_add(v);
            }
        }));
    }
    for (auto& h : selectors) h.wait();
    EXPECT_EQ(sum.load(), 2L * per_sender * (per_sender + 1) / 2);
}

}  // namespace
}  // namespace cs::test
