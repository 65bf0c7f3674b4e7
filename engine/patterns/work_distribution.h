#pragma once
// WorkDistribution: how long one simulated job takes — constant, uniform, exponential or
// log-normal. Durations are engine clock time, so slow motion and pause stretch the work too.
//
//   WorkDistribution d = WorkDistribution::exponential(20ms);
//   co_await rt::sleep_for(ctx, d.sample(rng));
//
// A value type; sample() uses the caller's generator (one per task keeps runs reproducible).
#include <string>

#include "runtime/clock.h"
#include "runtime/random.h"

namespace cs::patterns {

class WorkDistribution {
  public:
    enum class Shape { constant, uniform, exponential, lognormal };

    static WorkDistribution constant(rt::Duration d);
    static WorkDistribution uniform(rt::Duration min, rt::Duration max);
    static WorkDistribution exponential(rt::Duration mean);
    // Log-normal with the given median and sigma (the spread of the underlying normal, > 0).
    static WorkDistribution lognormal(rt::Duration median, double sigma);

    rt::Duration sample(rt::Rng& rng) const;
    rt::Duration mean() const;
    Shape shape() const noexcept { return m_shape; }
    std::string describe() const;  // "exponential(mean 20ms)"

    // Rescales the distribution so its mean becomes `mean`, keeping its shape (a live slider).
    WorkDistribution with_mean(rt::Duration mean) const;

  private:
    WorkDistribution(Shape s, rt::Duration a, rt::Duration b, double sigma)
        : m_shape(s), m_a(a), m_b(b), m_sigma(sigma) {}
    Shape m_shape;
    rt::Duration m_a;  // constant: value; uniform: min; exponential: mean; lognormal: median
    rt::Duration m_b;  // uniform: max
    double m_sigma;    // lognormal
};

const char* to_string(WorkDistribution::Shape s) noexcept;

}  // namespace cs::patterns
