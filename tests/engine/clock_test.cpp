#include <thread>

#include "test_support.h"

namespace cs::test {
namespace {

using rt::Clock;

TEST(Clock, SpeedOutsideRangeIsRejectedWithTheRange) {
    Clock clock;
    try {
        clock.set_speed(20);
        FAIL();
    } catch (const rt::InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("allowed: 0.05 .. 10"), std::string::npos);
    }
    EXPECT_THROW(clock.set_speed(0.01), rt::InvalidArgument);
    EXPECT_THROW(clock.set_speed(std::nan("")), rt::InvalidArgument);
    clock.set_speed(0.05);
    clock.set_speed(10);
    EXPECT_DOUBLE_EQ(clock.speed(), 10);
}

TEST(Clock, PausedClockStandsStillAndStepsExactly) {
    Clock clock;
    clock.pause();
    rt::TimePoint t = clock.now();
    std::this_thread::sleep_for(5ms);
    EXPECT_EQ(clock.now(), t);
    clock.advance_to(t + 250ms);
    EXPECT_EQ(clock.now(), t + rt::Duration(250ms));
    clock.advance_to(t);  // never backwards
    EXPECT_EQ(clock.now(), t + rt::Duration(250ms));
    EXPECT_FALSE(clock.real_time_until(t + 1s).has_value());
    clock.resume();
    EXPECT_GE(clock.now(), t + rt::Duration(250ms));
}

TEST(Clock, IsMonotonicAcrossSpeedChanges) {
    Clock clock;
    rt::TimePoint last = clock.now();
    for (double speed : {2.0, 0.1, 10.0, 1.0}) {
        clock.set_speed(speed);
        rt::TimePoint now = clock.now();
        EXPECT_GE(now, last);
        last = now;
    }
}

TEST(Clock, VirtualTimeMovesOnlyWhenAdvanced) {
    Clock clock(Clock::Mode::virtual_time);
    EXPECT_EQ(clock.now().time_since_epoch().count(), 0);
    std::this_thread::sleep_for(2ms);
    EXPECT_EQ(clock.now().time_since_epoch().count(), 0);
    clock.advance_to(rt::TimePoint(rt::Duration(1000)));
    EXPECT_EQ(clock.now().time_since_epoch().count(), 1000);
}

}  // namespace
}  // namespace cs::test
