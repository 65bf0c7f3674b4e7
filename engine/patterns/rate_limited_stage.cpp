#include "patterns/rate_limited_stage.h"

#include "runtime/select.h"

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
        for (;;) {
            Item item;
            bool ok = false;
            if (co_await rt::select(rt::recv_case(input, item, ok), rt::recv_case(ctx.done())) !=
                    0 ||
                !ok)
                break;
            counters->in.fetch_add(1);
            if (co_await limiter->wait(ctx, 1) != rt::Status::ok) break;
            if (co_await rt::select(rt::send_case(out, item), rt::recv_case(ctx.done())) != 0)
                break;
            counters->out.fetch_add(1);
        }
        out.close();
    });
    return out;
}

}  // namespace cs::patterns
