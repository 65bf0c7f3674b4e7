#include "patterns/work_distribution.h"

#include "runtime/duration_text.h"

#include <cmath>
#include <cstdio>

namespace cs::patterns {

using rt::Duration;
using rt::format_duration;

WorkDistribution WorkDistribution::constant(Duration d) {
    return {Shape::constant, d, d, 0};
}
WorkDistribution WorkDistribution::uniform(Duration min, Duration max) {
    return {Shape::uniform, min, max, 0};
}
WorkDistribution WorkDistribution::exponential(Duration mean) {
    return {Shape::exponential, mean, mean, 0};
}
WorkDistribution WorkDistribution::lognormal(Duration median, double sigma) {
    return {Shape::lognormal, median, median, sigma};
}

Duration WorkDistribution::sample(rt::Rng& rng) const {
    double ns = 0;
    switch (m_shape) {
        case Shape::constant:
            return m_a;
        case Shape::uniform:
            ns = static_cast<double>(m_a.count()) +
                 rng.unit() * static_cast<double>((m_b - m_a).count());
            break;
        case Shape::exponential:
            ns = -std::log1p(-rng.unit()) * static_cast<double>(m_a.count());
            break;
        case Shape::lognormal: {
            // Box-Muller: one standard normal from two uniforms.
            double u1 = 1.0 - rng.unit(), u2 = rng.unit();
            double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
            ns = static_cast<double>(m_a.count()) * std::exp(m_sigma * z);
            break;
        }
    }
    return Duration(static_cast<int64_t>(ns));
}

Duration WorkDistribution::mean() const {
    switch (m_shape) {
        case Shape::uniform:
            return (m_a + m_b) / 2;
        case Shape::lognormal:
            return Duration(static_cast<int64_t>(static_cast<double>(m_a.count()) *
                                                 std::exp(m_sigma * m_sigma / 2)));
        default:
            return m_a;
    }
}

WorkDistribution WorkDistribution::with_mean(Duration mean) const {
    double old_mean = static_cast<double>(this->mean().count());
    if (old_mean <= 0) return {m_shape, mean, mean, m_sigma};
    double f = static_cast<double>(mean.count()) / old_mean;
    auto scale = [f](Duration d) { return Duration(static_cast<int64_t>(d.count() * f)); };
    return {m_shape, scale(m_a), scale(m_b), m_sigma};
}

std::string WorkDistribution::describe() const {
    switch (m_shape) {
        case Shape::constant:
            return "constant(" + format_duration(m_a) + ")";
        case Shape::uniform:
            return "uniform(" + format_duration(m_a) + ".." + format_duration(m_b) + ")";
        case Shape::exponential:
            return "exponential(mean " + format_duration(m_a) + ")";
        case Shape::lognormal: {
            char sigma[32];
            std::snprintf(sigma, sizeof sigma, "%g", m_sigma);
            return "lognormal(median " + format_duration(m_a) + ", sigma " + sigma + ")";
        }
    }
    return "?";
}

const char* to_string(WorkDistribution::Shape s) noexcept {
    switch (s) {
        case WorkDistribution::Shape::constant:
            return "constant";
        case WorkDistribution::Shape::uniform:
            return "uniform";
        case WorkDistribution::Shape::exponential:
            return "exponential";
        case WorkDistribution::Shape::lognormal:
            return "lognormal";
    }
    return "?";
}

}  // namespace cs::patterns
