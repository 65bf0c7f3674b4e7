#pragma once
// Fan-out: N tasks read one input channel, each handling what it takes and writing to its own
// output channel (closed when the input is closed and drained, or on cancellation). Combined
// with merge() it is Go's fan-out / fan-in.
//
//   auto branches = fan_out(engine, jobs, 4, 8, "square", square);
//   Chan<Item> all = merge(engine, branches, 8, "squares");
//
// The handler gets the branch's index and returns Status::ok to pass the item on; anything
// else drops it (counted by the caller's handler if it wants). Thread-safe.
#include <functional>
#include <string>
#include <vector>

#include "engine.h"
#include "patterns/or_done.h"
#include "runtime/channel.h"
#include "runtime/context.h"
#include "runtime/select.h"

namespace cs::patterns {

template <rt::ChannelElement T>
std::vector<rt::Chan<T>> fan_out(
    Engine& engine, rt::Chan<T> input, int branches, size_t capacity, std::string name,
    std::function<rt::Task<rt::Status>(int branch, T&, const rt::Context&)> handler,
    rt::Context ctx = rt::Context::background()) {
    if (branches < 1) rt::throw_out_of_range("fan-out branches", branches, "1 ..");
    std::vector<rt::Chan<T>> outputs;
    for (int i = 0; i < branches; ++i) {
        rt::Chan<T> out(static_cast<long long>(capacity), name + " " + std::to_string(i));
        outputs.push_back(out);
        engine.go(name + " " + std::to_string(i), [i, input, out, handler, ctx]() -> rt::Task<> {
            while (auto v = co_await recv_or_done(input, ctx)) {
                if (co_await handler(i, *v, ctx) != rt::Status::ok) continue;
                if (!co_await send_or_done(out, std::move(*v), ctx)) break;
            }
            out.close();
        });
    }
    return outputs;
}

}  // namespace cs::patterns
