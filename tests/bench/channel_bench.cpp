// Channel shapes: ping-pong, producer/consumer at three capacities, MPMC, select over two.
#include "bench_support.h"

namespace cs::bench {
namespace {

void ping_pong(benchmark::State& state, telemetry::Level level) {
    Engine engine(options(level));
    constexpr int64_t rounds = 100'000;
    for (auto _ : state) {
        Chan<int> ping(0), pong(0);
        engine.go("ponger", [=]() mutable -> Task<> {
            for (int64_t i = 0; i < rounds; ++i) {
                auto r = co_await ping.recv();
                co_await pong.send(r.value);
            }
        });
        run(engine, [=]() mutable -> Task<> {
            for (int64_t i = 0; i < rounds; ++i) {
                co_await ping.send(1);
                co_await pong.recv();
            }
        });
    }
    state.SetItemsProcessed(state.iterations() * rounds);
}
void BM_ChanPingPong(benchmark::State& s) {
    ping_pong(s, telemetry::Level::on);
}
void BM_ChanPingPong_NoTelemetry(benchmark::State& s) {
    ping_pong(s, telemetry::Level::off);
}
BENCHMARK(BM_ChanPingPong)->UseRealTime();
BENCHMARK(BM_ChanPingPong_NoTelemetry)->UseRealTime();

void prod_cons(benchmark::State& state, telemetry::Level level) {
    Engine engine(options(level));
    const int64_t capacity = state.range(0);
    constexpr int64_t messages = 1'000'000;
    for (auto _ : state) {
        Chan<int64_t> ch(capacity);
        engine.go("producer", [=]() mutable -> Task<> {
            for (int64_t i = 0; i < messages; ++i) co_await ch.send(i);
            ch.close();
        });
        int64_t sum = 0;
        run(engine, [=, &sum]() mutable -> Task<> {
            while (auto r = co_await ch.recv()) sum += r.value;
        });
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * messages);
}
void BM_ChanProdCons(benchmark::State& s) {
    prod_cons(s, telemetry::Level::on);
}
void BM_ChanProdCons_NoTelemetry(benchmark::State& s) {
    prod_cons(s, telemetry::Level::off);
}
BENCHMARK(BM_ChanProdCons)->Arg(0)->Arg(10)->Arg(100)->UseRealTime();
BENCHMARK(BM_ChanProdCons_NoTelemetry)->Arg(0)->Arg(10)->Arg(100)->UseRealTime();

void mpmc(benchmark::State& state, telemetry::Level level) {
    Engine engine(options(level));
    constexpr int producers = 4, consumers = 4;
    constexpr int64_t messages = 1'000'000;
    for (auto _ : state) {
        Chan<int64_t> ch(100);
        rt::WaitGroup producing;
        producing.add(producers);
        for (int p = 0; p < producers; ++p) {
            engine.go("producer", [=, &producing]() mutable -> Task<> {
                for (int64_t i = 0; i < messages / producers; ++i) co_await ch.send(i);
                producing.done();
            });
        }
        engine.go("closer", [=, &producing]() mutable -> Task<> {
            co_await producing.wait();
            ch.close();
        });
        std::vector<rt::JoinHandle> handles;
        for (int c = 0; c < consumers; ++c) {
            handles.push_back(engine.spawn("consumer", [=]() mutable -> Task<> {
                int64_t sum = 0;
                while (auto r = co_await ch.recv()) sum += r.value;
                benchmark::DoNotOptimize(sum);
            }));
        }
        for (auto& h : handles) h.wait();
    }
    state.SetItemsProcessed(state.iterations() * messages);
}
void BM_ChanMPMC(benchmark::State& s) {
    mpmc(s, telemetry::Level::on);
}
void BM_ChanMPMC_NoTelemetry(benchmark::State& s) {
    mpmc(s, telemetry::Level::off);
}
BENCHMARK(BM_ChanMPMC)->UseRealTime();
BENCHMARK(BM_ChanMPMC_NoTelemetry)->UseRealTime();

void select2(benchmark::State& state, telemetry::Level level) {
    Engine engine(options(level));
    constexpr int64_t messages = 1'000'000;
    for (auto _ : state) {
        Chan<int64_t> a(16), b(16);
        for (Chan<int64_t> ch : {a, b}) {
            engine.go("producer", [=]() mutable -> Task<> {
                for (int64_t i = 0; i < messages / 2; ++i) co_await ch.send(i);
                ch.close();
            });
        }
        int64_t received = 0;
        run(engine, [=, &received]() mutable -> Task<> {
            Chan<int64_t> x = a, y = b;
            int64_t v = 0;
            bool ok = false;
            while (!x.is_nil() || !y.is_nil()) {
                int chosen = co_await rt::select(rt::recv_case(x, v, ok), rt::recv_case(y, v, ok));
                if (!ok) {
                    (chosen == 0 ? x : y) = Chan<int64_t>{};  // closed: nil it, as in Go
                    continue;
                }
                ++received;
            }
        });
        if (received != messages) state.SkipWithError("select lost messages");
    }
    state.SetItemsProcessed(state.iterations() * messages);
}
void BM_Select2(benchmark::State& s) {
    select2(s, telemetry::Level::on);
}
void BM_Select2_NoTelemetry(benchmark::State& s) {
    select2(s, telemetry::Level::off);
}
BENCHMARK(BM_Select2)->UseRealTime();
BENCHMARK(BM_Select2_NoTelemetry)->UseRealTime();

}  // namespace
}  // namespace cs::bench
