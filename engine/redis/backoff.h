#pragma once
// Backoff: how long to wait before the next attempt to reach a server that failed — doubling
// from `first` up to `max`, each wait scaled by a random factor in [1 - jitter, 1 + jitter] so
// that many clients that lost the same server do not all come back in the same instant.
// Not thread-safe (its owner locks).
//
//   Backoff backoff({.first = 100ms, .max = 5s, .jitter = 0.2});
//   sleep_for(backoff.next());   // after each failure
//   backoff.reset();             // after a success
#include <chrono>
#include <random>

namespace cs::redis {

struct BackoffOptions {
    std::chrono::milliseconds first{100};  // the wait after the first failure, > 0
    std::chrono::milliseconds max{5000};   // the longest wait, >= first
    double jitter = 0.2;                   // 0 .. less than 1
};

class Backoff {
  public:
    // Throws rt::InvalidArgument for options out of range, naming the allowed range.
    explicit Backoff(BackoffOptions options);

    // The wait after one more failure (jittered).
    std::chrono::milliseconds next();
    void reset() noexcept { m_base = std::chrono::milliseconds(0); }
    // The wait chosen by the last next(), before jitter; 0 after reset().
    std::chrono::milliseconds base() const noexcept { return m_base; }

  private:
    const BackoffOptions m_options;
    std::chrono::milliseconds m_base{0};
    std::mt19937_64 m_rng{std::random_device{}()};
};

}  // namespace cs::redis
