#include "patterns/latency_histogram.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace cs::test {
namespace {

using namespace std::chrono_literals;
using patterns::LatencyHistogram;
using rt::Duration;

double ms(Duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

TEST(LatencyHistogram, EmptyReportsZeros) {
    LatencyHistogram h;
    auto s = h.summary();
    EXPECT_EQ(s.count, 0u);
    EXPECT_EQ(s.p99, Duration(0));
}

TEST(LatencyHistogram, PercentilesWithinThreePercentAndExactMax) {
    LatencyHistogram h;
    for (int i = 1; i <= 1000; ++i) h.record(std::chrono::milliseconds(i));
    auto s = h.summary();
    EXPECT_EQ(s.count, 1000u);
    EXPECT_NEAR(ms(s.p50), 500, 500 * 0.03);
    EXPECT_NEAR(ms(s.p90), 900, 900 * 0.03);
    EXPECT_NEAR(ms(s.p99), 990, 990 * 0.03);
    EXPECT_EQ(s.max, Duration(1000ms));
    EXPECT_NEAR(ms(s.mean), 500.5, 1e-6);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
    LatencyHistogram h;
    for (int i = 0; i < 20; ++i) h.record(Duration(i));
    EXPECT_EQ(h.summary().p50, Duration(9));
}

TEST(LatencyHistogram, RecordsFromManyThreadsWithoutLoss) {
    LatencyHistogram h;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&h, t] {
            for (int i = 0; i < 10'000; ++i) h.record(std::chrono::microseconds(t * 10 + 1));
        });
    for (auto& t : threads) t.join();
    auto s = h.summary();
    EXPECT_EQ(s.count, 40'000u);
    EXPECT_EQ(s.max, Duration(31us));
}

}  // namespace
}  // namespace cs::test
