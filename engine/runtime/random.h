#pragma once
// Rng: a small, fast, seedable generator (xoshiro128+ style splitmix seeding) for the scheduler's
// choices and select's uniform pick. Not thread-safe: each worker owns one.
#include <cstdint>

namespace cs::rt {

class Rng {
  public:
    explicit Rng(uint64_t seed = 0x9E3779B97F4A7C15ull) { reseed(seed); }

    void reseed(uint64_t seed) {
        m_state = seed ? seed : 0x9E3779B97F4A7C15ull;
        for (int i = 0; i < 4; ++i) next();
    }

    uint64_t next() {
        // splitmix64: good statistical quality, one multiply chain, no warm-up issues.
        uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    // Uniform in [0, n). n > 0. Lemire's multiply-shift: no modulo bias worth noticing for n <
    // 2^32.
    uint32_t below(uint32_t n) {
        return static_cast<uint32_t>((static_cast<uint64_t>(static_cast<uint32_t>(next())) * n) >>
                                     32);
    }

    // Uniform in [0, 1): the top 53 bits as a double's mantissa.
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  private:
    uint64_t m_state;
};

}  // namespace cs::rt
