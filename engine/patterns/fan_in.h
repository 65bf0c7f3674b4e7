#pragma once
// Fan-in: many channels merged into one, closed when every input is closed — in the two ways Go
// teaches it:
//
//  - merge(): one forwarding task per input and a closer that waits for them all (the
//    WaitGroup version from "Go Concurrency Patterns: Pipelines");
//  - merge_select(): one task selecting over every input, setting a closed input to the nil
//    channel so its case never fires again (the nil-channel idiom).
//
//   Chan<int> all = merge(engine, {a, b, c}, 16, "all");
//   while (auto r = co_await all.recv()) ...
//
// Both stop early when `ctx` is cancelled (and still close the output). Thread-safe.
#include <memory>
#include <string>
#include <vector>

#include "engine.h"
#include "patterns/or_done.h"
#include "runtime/channel.h"
#include "runtime/context.h"
#include "runtime/select.h"
#include "runtime/wait_group.h"

namespace cs::patterns {

template <rt::ChannelElement T>
rt::Chan<T> merge(Engine& engine, std::vector<rt::Chan<T>> inputs, size_t capacity,
                  std::string name, rt::Context ctx = rt::Context::background()) {
    rt::Chan<T> out(static_cast<long long>(capacity), name);
    auto forwarding = std::make_shared<rt::WaitGroup>();
    forwarding->add(static_cast<int64_t>(inputs.size()));
    for (size_t i = 0; i < inputs.size(); ++i) {
        engine.go(name + " forward " + std::to_string(i),
                  [in = inputs[i], out, ctx, forwarding]() -> rt::Task<> {
                      while (auto v = co_await recv_or_done(in, ctx))
                          if (!co_await send_or_done(out, std::move(*v), ctx)) break;
                      forwarding->done();
                  });
    }
    engine.go(name + " closer", [out, forwarding]() -> rt::Task<> {
        co_await forwarding->wait();
        out.close();
    });
    return out;
}

template <rt::ChannelElement T>
rt::Chan<T> merge_select(Engine& engine, std::vector<rt::Chan<T>> inputs, size_t capacity,
                         std::string name, rt::Context ctx = rt::Context::background()) {
    rt::Chan<T> out(static_cast<long long>(capacity), name);
    engine.go(name + " select", [inputs = std::move(inputs), out, ctx]() mutable -> rt::Task<> {
        size_t open = inputs.size();
        T v{};
        bool ok = false;
        while (open > 0) {
            std::vector<rt::RecvCase<T>> cases;
            cases.reserve(inputs.size());
            for (const auto& in : inputs) cases.push_back(rt::recv_case(in, v, ok));
            auto done = rt::recv_case(ctx.done());
            std::vector<rt::SelectCase*> ptrs;
            for (auto& c : cases) ptrs.push_back(&c);
            ptrs.push_back(&done);
            size_t chosen = static_cast<size_t>(co_await rt::select_from(std::move(ptrs)));
            if (chosen == inputs.size()) break;  // cancelled
            if (!ok) {
                inputs[chosen] = rt::Chan<T>();  // nil: this case never fires again
                --open;
                continue;
            }
            if (!co_await send_or_done(out, std::move(v), ctx)) break;
        }
        out.close();
    });
    return out;
}

}  // namespace cs::patterns
