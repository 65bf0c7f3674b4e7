#include "patterns/work_distribution.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cs::test {
namespace {

using namespace std::chrono_literals;
using patterns::WorkDistribution;
using rt::Duration;

double mean_ms(const WorkDistribution& d, int n = 200'000) {
    rt::Rng rng(42);
    double total = 0;
    for (int i = 0; i < n; ++i)
        total += std::chrono::duration<double, std::milli>(d.sample(rng)).count();
    return total / n;
}

TEST(WorkDistribution, ConstantIsExact) {
    rt::Rng rng(1);
    auto d = WorkDistribution::constant(7ms);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(d.sample(rng), Duration(7ms));
    EXPECT_EQ(d.describe(), "constant(7ms)");
}

TEST(WorkDistribution, UniformStaysInItsRangeAndCentres) {
    rt::Rng rng(1);
    auto d = WorkDistribution::uniform(10ms, 30ms);
    for (int i = 0; i < 10'000; ++i) {
        Duration x = d.sample(rng);
        ASSERT_GE(x, Duration(10ms));
        ASSERT_LE(x, Duration(30ms));
    }
    EXPECT_NEAR(mean_ms(d), 20.0, 0.2);
    EXPECT_EQ(d.describe(), "uniform(10ms..30ms)");
}

TEST(WorkDistribution, ExponentialAndLognormalHaveTheirMeans) {
    EXPECT_NEAR(mean_ms(WorkDistribution::exponential(20ms)), 20.0, 0.3);
    auto ln = WorkDistribution::lognormal(10ms, 0.5);
    double expected = 10.0 * std::exp(0.125);
    EXPECT_NEAR((std::chrono::duration<double, std::milli>(ln.mean()).count()), expected, 1e-6);
    EXPECT_NEAR(mean_ms(ln), 10.0 * std::exp(0.125), 0.15);
    EXPECT_EQ(ln.describe(), "lognormal(median 10ms, sigma 0.5)");
}

TEST(WorkDistribution, WithMeanKeepsTheShape) {
    auto u = WorkDistribution::uniform(10ms, 30ms).with_mean(40ms);
    EXPECT_EQ(u.shape(), WorkDistribution::Shape::uniform);
    EXPECT_EQ(u.describe(), "uniform(20ms..60ms)");
    EXPECT_NEAR(mean_ms(WorkDistribution::exponential(5ms).with_mean(50ms)), 50.0, 0.8);
}

TEST(WorkDistribution, SameSeedSameSamples) {
    auto d = WorkDistribution::exponential(3ms);
    rt::Rng a(9), b(9);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(d.sample(a), d.sample(b));
}

}  // namespace
}  // namespace cs::test
