#pragma once
// A rate-limited stage: forwards items no faster than a token bucket allows (one token per
// item), letting a burst through at once after a quiet spell — the x/time/rate idiom
// `limiter.Wait(ctx)` in a loop. Changing the limiter's rate or burst takes effect at once.
//
//   auto limiter = std::make_shared<rt::RateLimiter>(10.0, 5, "api");
//   Chan<Item> paced = run_rate_limited(engine, requests, limiter, 16, "pacer", ctx);
//
// The output closes when the input is closed and drained, or on cancellation. Thread-safe.
#include <memory>
#include <string>

#include "engine.h"
#include "patterns/stage.h"
#include "runtime/rate_limiter.h"

namespace cs::patterns {

rt::Chan<Item> run_rate_limited(Engine& engine, rt::Chan<Item> input,
                                std::shared_ptr<rt::RateLimiter> limiter, size_t capacity,
                                std::string name, rt::Context ctx,
                                std::shared_ptr<StageCounters> counters = nullptr);

}  // namespace cs::patterns
