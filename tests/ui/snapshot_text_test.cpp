// How snapshot facts are worded: what a task waits on, channel fill, the clock.
#include <gtest/gtest.h>

#include "snapshot_text.h"

namespace cs::ui::test {
namespace {

using rt::TaskState;
using rt::WaitReason;
using telemetry::ChannelInfo;
using telemetry::Snapshot;
using telemetry::TaskInfo;

ChannelInfo channel(uint64_t id, std::string name, size_t len, size_t cap, bool closed = false,
                    bool internal = false) {
    return {id, std::move(name), len, cap, closed, internal, 0, 0, 0, 0, 0, 0};
}

Snapshot world() {
    Snapshot s;
    s.channels = {channel(10, "jobs", 5, 8), channel(11, "results", 0, 4, true),
                  channel(12, "after", 1, 1, false, true), channel(13, "ctx.done", 0, 0, false, true),
                  channel(14, "", 0, 0)};
    s.semaphores = {{20, "db-slots", 2, 2, 1, 9, 0}};
    s.limiters = {{30, "producer-rate", 20.0, 5, 0.5, 100, 0, 40}};
    return s;
}

QString wait_of(const Snapshot& s, WaitReason reason, uint64_t object,
                TaskState state = TaskState::blocked) {
    return WaitDescriber(s).describe(TaskInfo{1, "t", state, reason, object});
}

TEST(WaitDescriber, NamesTheObjectWaitedOn) {
    const Snapshot s = world();
    EXPECT_EQ(wait_of(s, WaitReason::recv, 10), "recv chan jobs");
    EXPECT_EQ(wait_of(s, WaitReason::send, 11), "send chan results");
    EXPECT_EQ(wait_of(s, WaitReason::select, 10), "select chan jobs");
    EXPECT_EQ(wait_of(s, WaitReason::semaphore, 20), "semaphore db-slots");
    EXPECT_EQ(wait_of(s, WaitReason::limiter, 30), "limiter producer-rate");
    EXPECT_EQ(wait_of(s, WaitReason::recv, 14), "recv chan #14");
}

TEST(WaitDescriber, WaitsWithoutAnObject) {
    const Snapshot s = world();
    EXPECT_EQ(wait_of(s, WaitReason::sleep, 0), "sleep");
    EXPECT_EQ(wait_of(s, WaitReason::wait_group, 0), "wait group");
    EXPECT_EQ(wait_of(s, WaitReason::recv, 0), "recv nil channel");
    EXPECT_EQ(wait_of(s, WaitReason::send, 0), "send nil channel");
    EXPECT_EQ(wait_of(s, WaitReason::recv, 999), "recv #999");  // gone since
}

TEST(WaitDescriber, NothingForTasksThatAreNotBlocked) {
    const Snapshot s = world();
    EXPECT_EQ(wait_of(s, WaitReason::none, 0, TaskState::running), no_value);
    EXPECT_EQ(wait_of(s, WaitReason::none, 0, TaskState::runnable), no_value);
    EXPECT_EQ(wait_of(s, WaitReason::recv, 10, TaskState::done), no_value);
}

TEST(ChannelSummary, WatchedChannelsInOrder) {
    const Snapshot s = world();
    EXPECT_EQ(channel_summary(s, {"results", "jobs"}), "results 0/4 (closed) · jobs 5/8");
    EXPECT_EQ(channel_summary(s, {"missing"}), no_value);
}

TEST(ChannelSummary, AllButInternalChannelsByDefault) {
    EXPECT_EQ(channel_summary(world(), {}), "jobs 5/8 · results 0/4 (closed) · #14 0/0");
    EXPECT_EQ(channel_summary(Snapshot{}, {}), no_value);
}

TEST(SnapshotText, ClockAndStates) {
    EXPECT_EQ(clock_text(rt::TimePoint(std::chrono::milliseconds(12345))), "12.3 s");
    EXPECT_EQ(clock_text(rt::TimePoint{}), "0.0 s");
    EXPECT_EQ(state_text(TaskState::blocked), "blocked");
    EXPECT_EQ(state_text(TaskState::running), "running");
}

}  // namespace
}  // namespace cs::ui::test
