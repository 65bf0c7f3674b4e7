#pragma once
// ZipfSampler: key k of 0 .. keys-1 with probability proportional to 1/(k+1)^s — a few keys are
// very popular, most are rare, as in real caches' workloads. Sampling maps a uniform draw
// through the cumulative table (binary search), so the same draw gives the same key.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cs::cache {

class ZipfSampler {
  public:
    ZipfSampler(uint64_t keys, double s) : m_cdf(std::max<uint64_t>(keys, 1)) {
        double sum = 0;
        for (uint64_t k = 0; k < m_cdf.size(); ++k) m_cdf[k] = sum += 1.0 / std::pow(double(k + 1), s);
    }
    // u uniform in [0, 1).
    uint64_t key_for(double u) const {
        auto it = std::lower_bound(m_cdf.begin(), m_cdf.end(), u * m_cdf.back());
        return uint64_t(std::min<std::ptrdiff_t>(it - m_cdf.begin(), std::ptrdiff_t(m_cdf.size()) - 1));
    }
    uint64_t keys() const noexcept { return m_cdf.size(); }

  private:
    std::vector<double> m_cdf;
};

}  // namespace cs::cache
