#include "test_support.h"

namespace cs::test {
namespace {

using rt::Context;
using rt::Status;

TEST(Context, BackgroundIsNeverCancelled) {
    Context bg = Context::background();
    EXPECT_EQ(bg.err(), Status::ok);
    EXPECT_TRUE(bg.done().is_nil());
    EXPECT_FALSE(bg.deadline().has_value());
}

TEST(Context, CancelClosesDoneAndCancelsDescendantsNotAncestors) {
    Engine engine;
    auto [parent, cancel_parent] = rt::with_cancel(Context::background());
    auto [child, cancel_child] = rt::with_cancel(parent);
    auto [grandchild, cancel_grandchild] = rt::with_cancel(child);
    cancel_child();
    EXPECT_EQ(parent.err(), Status::ok);
    EXPECT_EQ(child.err(), Status::cancelled);
    EXPECT_EQ(grandchild.err(), Status::cancelled);
    EXPECT_TRUE(grandchild.done().closed());
    EXPECT_FALSE(parent.done().closed());
    cancel_child();  // again: no effect, no error
    cancel_parent();
    EXPECT_EQ(parent.err(), Status::cancelled);
}

TEST(Context, ChildOfCancelledParentStartsCancelled) {
    Engine engine;
    auto [parent, cancel] = rt::with_cancel(Context::background());
    cancel();
    auto [child, cancel_child] = rt::with_cancel(parent);
    EXPECT_EQ(child.err(), Status::cancelled);
    EXPECT_TRUE(child.done().closed());
}

TEST(Context, DeadlineExceededAtExactlyTheDeadline) {
    Engine engine(EngineOptions{.deterministic = true});
    run_task(engine, [&]() -> Task<> {
        auto [ctx, cancel] = rt::with_timeout(Context::background(), 300ms);
        rt::TimePoint start = engine.clock().now();
        EXPECT_EQ(*ctx.deadline(), start + rt::Duration(300ms));
        co_await ctx.done().recv();
        EXPECT_EQ(ctx.err(), Status::deadline_exceeded);
        EXPECT_EQ(engine.clock().now() - start, rt::Duration(300ms));
    });
}

TEST(Context, SoonerParentDeadlineWins) {
    Engine engine(EngineOptions{.deterministic = true});
    run_task(engine, [&]() -> Task<> {
        auto [parent, c1] = rt::with_timeout(Context::background(), 100ms);
        auto [child, c2] = rt::with_timeout(parent, 1s);
        EXPECT_EQ(child.deadline(), parent.deadline());
        co_await child.done().recv();
        EXPECT_EQ(child.err(), Status::deadline_exceeded);
    });
}

TEST(Context, CancelWhileParkedInSleepReturnsCancelled) {
    Engine engine;
    auto [ctx, cancel] = rt::with_cancel(Context::background());
    std::atomic<int> result{-1};
    auto h = engine.spawn("sleeper", [&, ctx = ctx]() -> Task<> {
        result = static_cast<int>(co_await rt::sleep_for(ctx, 1h));
    });
    ASSERT_TRUE(eventually([&] {
        auto s = engine.snapshot();
        return !s->tasks.empty() && s->tasks.front().reason == rt::WaitReason::sleep;
    }));
    cancel();
    h.wait();
    EXPECT_EQ(result.load(), static_cast<int>(Status::cancelled));
}

}  // namespace
}  // namespace cs::test
