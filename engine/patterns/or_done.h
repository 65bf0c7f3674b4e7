#pragma once
// The loop heads of every pattern here, Go's "or-done" idiom: a channel operation that also
// gives up when the context is cancelled.
//
//   while (auto item = co_await recv_or_done(in, ctx)) {
//       if (!co_await send_or_done(out, *item, ctx)) break;
//   }
#include <optional>

#include "runtime/channel.h"
#include "runtime/context.h"
#include "runtime/select.h"
#include "runtime/task.h"

namespace cs::patterns {

// The next value; nothing once `ch` is closed and drained, or `ctx` is cancelled.
template <rt::ChannelElement T>
rt::Task<std::optional<T>> recv_or_done(const rt::Chan<T>& ch, const rt::Context& ctx) {
    T value{};
    bool ok = false;
    if (co_await rt::select(rt::recv_case(ch, value, ok), rt::recv_case(ctx.done())) != 0 || !ok)
        co_return std::nullopt;
    co_return value;
}

// True once sent; false if `ctx` was cancelled first.
template <rt::ChannelElement T>
rt::Task<bool> send_or_done(const rt::Chan<T>& ch, T value, const rt::Context& ctx) {
    co_return co_await rt::select(rt::send_case(ch, std::move(value)), rt::recv_case(ctx.done())) ==
        0;
}

}  // namespace cs::patterns
