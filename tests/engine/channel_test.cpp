#include <atomic>
#include <numeric>
#include <thread>
#include <vector>

#include "test_support.h"

namespace cs::test {
namespace {

TEST(Channel, UnbufferedPingPongDeliversEveryValueInOrder) {
    Engine engine;
    Chan<int> ping(0, "ping"), pong(0, "pong");
    constexpr int rounds = 10000;
    engine.go("ponger", [=]() mutable -> Task<> {
        for (int i = 0; i < rounds; ++i) {
            auto [v, ok] = co_await ping.recv();
            co_await pong.send(v + 1);
        }
    });
    run_task(engine, [=]() mutable -> Task<> {
        for (int i = 0; i < rounds; ++i) {
            co_await ping.send(i);
            auto [v, ok] = co_await pong.recv();
            EXPECT_TRUE(ok);
            EXPECT_EQ(v, i + 1);
        }
    });
}

TEST(Channel, BufferedIsFifoAndReportsLenAndCap) {
    Engine engine;
    Chan<int> ch(3, "buf");
    EXPECT_EQ(ch.cap(), 3u);
    run_task(engine, [=]() mutable -> Task<> {
        co_await ch.send(1);
        co_await ch.send(2);
        EXPECT_EQ(ch.len(), 2u);
        auto a = co_await ch.recv();
        auto b = co_await ch.recv();
        EXPECT_EQ(a.value, 1);
        EXPECT_EQ(b.value, 2);
        EXPECT_EQ(ch.len(), 0u);
    });
}

TEST(Channel, SenderParksWhenBufferFullUntilReceiverTakesOne) {
    Engine engine;
    Chan<int> ch(1, "full");
    std::atomic<int> sent{0};
    engine.go("producer", [=, &sent]() mutable -> Task<> {
        for (int i = 0; i < 3; ++i) {
            co_await ch.send(i);
            sent.fetch_add(1);
        }
    });
    // One fits in the buffer; the second send parks.
    ASSERT_TRUE(eventually([&] {
        return sent.load() == 1 && engine.snapshot()->count_in_state(rt::TaskState::blocked) == 1;
    }));
    auto snap = engine.snapshot();
    const auto* t = &snap->tasks.front();
    EXPECT_EQ(t->reason, rt::WaitReason::send);
    EXPECT_EQ(t->wait_object, ch.id());
    EXPECT_EQ(ch.recv_blocking().value, 0);
    EXPECT_EQ(ch.recv_blocking().value, 1);
    EXPECT_EQ(ch.recv_blocking().value, 2);
    EXPECT_TRUE(eventually([&] { return sent.load() == 3; }));
}

TEST(Channel, ReceiveOnClosedDrainsBufferThenReturnsZeroAndNotOk) {
    Engine engine;
    Chan<int> ch(2, "closing");
    run_task(engine, [=]() mutable -> Task<> {
        co_await ch.send(7);
        ch.close();
        auto a = co_await ch.recv();
        EXPECT_TRUE(a.ok);
        EXPECT_EQ(a.value, 7);
        auto b = co_await ch.recv();
        EXPECT_FALSE(b.ok);
        EXPECT_EQ(b.value, 0);
    });
}

TEST(Channel, RangeStyleDrainStopsAtClose) {
    Engine engine;
    Chan<int> ch(4, "range");
    engine.go("producer", [=]() mutable -> Task<> {
        for (int i = 1; i <= 100; ++i) co_await ch.send(i);
        ch.close();
    });
    int sum = 0;
    run_task(engine, [=, &sum]() mutable -> Task<> {
        while (auto r = co_await ch.recv()) sum += r.value;
    });
    EXPECT_EQ(sum, 5050);
}

TEST(Channel, SendOnClosedThrowsWithTheChannelName) {
    Engine engine;
    Chan<int> ch(1, "jobs");
    ch.close();
    EXPECT_THROW(
        {
            try {
                run_task(engine, [=]() mutable -> Task<> { co_await ch.send(1); });
            } catch (const rt::ChannelError& e) {
                EXPECT_NE(std::string(e.what()).find("send on closed channel 'jobs'"),
                          std::string::npos);
                throw;
            }
        },
        rt::ChannelError);
    EXPECT_THROW(ch.try_send(1), rt::ChannelError);
}

TEST(Channel, CloseTwiceAndCloseNilThrow) {
    Engine engine;
    Chan<int> ch(0, "twice");
    ch.close();
    EXPECT_THROW(ch.close(), rt::ChannelError);
    Chan<int> nil;
    EXPECT_THROW(nil.close(), rt::ChannelError);
}

TEST(Channel, NegativeOrHugeCapacityIsRejectedWithRange) {
    Engine engine;
    try {
        Chan<int> bad(-1, "bad");
        FAIL() << "expected InvalidArgument";
    } catch (const rt::InvalidArgument& e) {
        EXPECT_STREQ(e.what(), "channel capacity: -1 is out of range (allowed: 0 .. 67108864)");
    }
    EXPECT_THROW(Chan<int>(rt::max_channel_capacity + 1), rt::InvalidArgument);
}

TEST(Channel, CloseWakesParkedReceiversAndSenders) {
    Engine engine;
    Chan<int> in(0, "in"), out(0, "out");
    std::atomic<int> receivers_saw_close{0}, senders_saw_close{0};
    for (int i = 0; i < 3; ++i) {
        engine.go("receiver", [=, &receivers_saw_close]() mutable -> Task<> {
            auto r = co_await in.recv();
            if (!r.ok) receivers_saw_close.fetch_add(1);
        });
        engine.go("sender", [=, &senders_saw_close]() mutable -> Task<> {
            try {
                co_await out.send(1);
            } catch (const rt::ChannelError&) {
                senders_saw_close.fetch_add(1);
            }
        });
    }
    ASSERT_TRUE(
        eventually([&] { return engine.snapshot()->count_in_state(rt::TaskState::blocked) == 6; }));
    in.close();
    out.close();
    EXPECT_TRUE(eventually(
        [&] { return receivers_saw_close.load() == 3 && senders_saw_close.load() == 3; }));
}

TEST(Channel, ThreadsUseBlockingAndTryVariants) {
    Engine engine;
    Chan<int> ch(1, "threads");
    EXPECT_TRUE(ch.try_send(1));
    EXPECT_FALSE(ch.try_send(2));  // full
    auto r = ch.try_recv();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->value, 1);
    EXPECT_FALSE(ch.try_recv().has_value());  // empty: would block
    std::thread producer([&] {
        for (int i = 0; i < 1000; ++i) ch.send_blocking(i);
        ch.close();
    });
    long sum = 0;
    while (auto v = ch.recv_blocking()) sum += v.value;
    producer.join();
    EXPECT_EQ(sum, 999L * 1000 / 2);
    auto closed = ch.try_recv();
    ASSERT_TRUE(closed.has_value());
    EXPECT_FALSE(closed->ok);
}

TEST(Channel, ManyProducersManyConsumersLoseAndDuplicateNothing) {
    Engine engine;
    Chan<int> ch(16, "mpmc");
    constexpr int producers = 8, per_producer = 5000;
    rt::WaitGroup producing;
    producing.add(producers);
    for (int p = 0; p < producers; ++p) {
        engine.go("producer", [=, &producing]() mutable -> Task<> {
            for (int i = 0; i < per_producer; ++i) co_await ch.send(p * per_producer + i);
            producing.done();
        });
    }
    engine.go("closer", [=, &producing]() mutable -> Task<> {
        co_await producing.wait();
        ch.close();
    });
    std::vector<std::atomic<int>> seen(producers * per_producer);
    std::vector<rt::JoinHandle> consumers;
    for (int c = 0; c < 4; ++c) {
        consumers.push_back(engine.spawn("consumer", [=, &seen]() mutable -> Task<> {
            while (auto r = co_await ch.recv()) seen[static_cast<size_t>(r.value)].fetch_add(1);
        }));
    }
    for (auto& h : consumers) h.wait();
    for (auto& s : seen) ASSERT_EQ(s.load(), 1);
}

TEST(Channel, NilChannelBlocksForever) {
    Engine engine;
    Chan<int> nil;
    engine.go("stuck", [=]() mutable -> Task<> { co_await nil.recv(); });
    ASSERT_TRUE(
        eventually([&] { return engine.snapshot()->count_in_state(rt::TaskState::blocked) == 1; }));
    EXPECT_FALSE(nil.try_send(1));
    EXPECT_THROW(nil.recv_blocking(), rt::ChannelError);
}

TEST(Channel, CountersAreExact) {
    Engine engine;
    Chan<int> ch(8, "counted");
    engine.go("producer", [=]() mutable -> Task<> {
        for (int i = 0; i < 500; ++i) co_await ch.send(i);
        ch.close();
    });
    run_task(engine, [=]() mutable -> Task<> {
        while (co_await ch.recv()) {
        }
    });
    auto snap = engine.snapshot();
    const auto* info = snap->find_channel(ch.id());
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->sends, 500u);
    EXPECT_EQ(info->recvs, 500u);
    EXPECT_TRUE(info->closed);
    EXPECT_EQ(info->name, "counted");
}

}  // namespace
}  // namespace cs::test
