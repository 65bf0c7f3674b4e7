#include "telemetry/ticks.h"

#include <thread>

namespace cs::telemetry {
namespace {

struct Origin {
    int64_t ticks;
    int64_t ns;
};

int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

const Origin& origin() {
    static const Origin o{now_ticks(), steady_ns()};
    return o;
}

}  // namespace

double ns_per_tick() noexcept {
#if defined(__x86_64__)
    const Origin& o = origin();
    int64_t dt = now_ticks() - o.ticks;
    int64_t dns = steady_ns() - o.ns;
    if (dt < 1'000'000) {  // too early to tell: measure a short interval once
        static const double early = [] {
            int64_t t0 = now_ticks(), n0 = steady_ns();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            return static_cast<double>(steady_ns() - n0) / static_cast<double>(now_ticks() - t0);
        }();
        return early;
    }
    return static_cast<double>(dns) / static_cast<double>(dt);
#else
    return 1.0;
#endif
}

int64_t ticks_to_ns(int64_t ticks) noexcept {
    return static_cast<int64_t>(static_cast<double>(ticks - origin().ticks) * ns_per_tick());
}

}  // namespace cs::telemetry
