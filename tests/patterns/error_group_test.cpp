#include <atomic>

#include "pattern_test_support.h"
#include "patterns/error_group.h"

namespace cs::test {
namespace {

using patterns::ErrorGroup;
using rt::Context;
using rt::Status;

TEST(ErrorGroup, FirstErrorCancelsTheOthersAndIsReturned) {
    Engine engine;
    std::atomic<int> cancelled{0};
    std::optional<patterns::GroupError> err;
    run_task(engine, [&]() -> Task<> {
        ErrorGroup group(engine);
        for (int i = 0; i < 5; ++i) {
            group.go("slow " + std::to_string(i), [&](const Context& ctx) -> Task<Status> {
                Status st = co_await rt::sleep_for(ctx, 10s);
                if (st == Status::cancelled) cancelled.fetch_add(1);
                co_return st;
            });
        }
        group.go("failing", [](const Context& ctx) -> Task<Status> {
            co_await rt::sleep_for(ctx, 5ms);
            throw std::runtime_error("disk full");
        });
        err = co_await group.wait();
    });
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->task, "failing");
    EXPECT_EQ(err->message, "disk full");
    EXPECT_EQ(cancelled.load(), 5);
}

TEST(ErrorGroup, NoErrorWhenEveryTaskSucceeds) {
    Engine engine;
    std::atomic<int> ran{0};
    run_task(engine, [&]() -> Task<> {
        ErrorGroup group(engine);
        for (int i = 0; i < 10; ++i)
            group.go("ok", [&](const Context&) -> Task<Status> {
                ran.fetch_add(1);
                co_return Status::ok;
            });
        EXPECT_FALSE((co_await group.wait()).has_value());
        EXPECT_FALSE(group.context().cancelled());
    });
    EXPECT_EQ(ran.load(), 10);
}

TEST(ErrorGroup, AnErrorStatusCountsAsAFailure) {
    Engine engine;
    run_task(engine, [&]() -> Task<> {
        ErrorGroup group(engine);
        group.go("timeout",
                 [](const Context&) -> Task<Status> { co_return Status::deadline_exceeded; });
        auto err = co_await group.wait();
        EXPECT_EQ(err.value_or(patterns::GroupError{}).message,
                  rt::to_string(Status::deadline_exceeded));
        EXPECT_TRUE(group.context().cancelled());
    });
}

}  // namespace
}  // namespace cs::test
