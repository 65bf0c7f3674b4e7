#include "patterns/rate_limited_stage.h"

#include "patterns/or_done.h"

namespace cs::patterns {

using rt::Chan;
using rt::Task;

Chan<Item> run_rate_limited(Engine& engine, Chan<Item> input,
                            std::shared_ptr<rt::RateLimiter> limiter, size_t capacity,
                            std::string name, rt::Context ctx,
                            std::shared_ptr<StageCounters> counters) {
    if (!counters) counters = std::make_shared<StageCounters>();
    Chan<Item> out(static_cast<long long>(capacity), name + " out");
    engine.go(name, [input, out, limiter, ctx, counters]() -> Task<> {
        while (auto item = co_await recv_or_done(input, ctx)) {
            counters->in.fetch_add(1);
            if (co_await limiter->wait(ctx, 1) != rt::Status::ok) break;
            if (!co_await send_or_done(out, *item, ctx)) break;
            counters->out.fetch_add(1);
        }
        out.close();
    });
    return out;
}

}  // namespace cs::patterns
