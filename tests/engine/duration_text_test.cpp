#include "runtime/duration_text.h"

#include <gtest/gtest.h>

namespace cs::test {
namespace {

using namespace std::chrono_literals;
using rt::Duration;
using rt::format_duration;
using rt::parse_duration;

TEST(DurationText, FormatsWithTheLargestFittingUnit) {
    EXPECT_EQ(format_duration(20ms), "20ms");
    EXPECT_EQ(format_duration(1500ms), "1.5s");
    EXPECT_EQ(format_duration(250us), "250us");
    EXPECT_EQ(format_duration(120s), "2min");
    EXPECT_EQ(format_duration(Duration(0)), "0s");
    EXPECT_EQ(format_duration(Duration(7)), "7ns");
}

TEST(DurationText, ParsesNumbersWithUnits) {
    EXPECT_EQ(parse_duration("20ms"), Duration(20ms));
    EXPECT_EQ(parse_duration("1.5s"), Duration(1500ms));
    EXPECT_EQ(parse_duration("250us"), Duration(250us));
    EXPECT_EQ(parse_duration("2min"), Duration(120s));
    EXPECT_EQ(parse_duration("0s"), Duration(0));
}

TEST(DurationText, RejectsWhatIsNotADuration) {
    for (const char* bad :
         {"", "20", "ms", "-1s", "1.2.3s", "5 ms", "5parsecs", "1e3s", "99999999999h"})
        EXPECT_FALSE(parse_duration(bad).has_value()) << '"' << bad << '"';
}

}  // namespace
}  // namespace cs::test
