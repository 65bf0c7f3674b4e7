#include "redis/backoff.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "runtime/errors.h"

namespace cs::redis {

Backoff::Backoff(BackoffOptions options) : m_options(options) {
    if (m_options.first <= std::chrono::milliseconds(0))
        rt::throw_out_of_range("Redis backoff (ms)", m_options.first.count(), "> 0");
    if (m_options.max < m_options.first)
        rt::throw_out_of_range("Redis longest backoff (ms)", m_options.max.count(),
                               ">= the first backoff");
    if (m_options.jitter < 0 || m_options.jitter >= 1)
        throw rt::InvalidArgument("Redis backoff jitter: " + std::to_string(m_options.jitter) +
                                  " is out of range (allowed: 0 .. less than 1)");
}

std::chrono::milliseconds Backoff::next() {
    m_base = m_base.count() == 0 ? m_options.first : std::min(m_base * 2, m_options.max);
    std::uniform_real_distribution<double> scale(1 - m_options.jitter, 1 + m_options.jitter);
    return std::chrono::milliseconds(std::llround(double(m_base.count()) * scale(m_rng)));
}

}  // namespace cs::redis
