// Live parameters typed as text: every type the built-in lessons make live, and what is refused.
#include <gtest/gtest.h>

#include "runtime/errors.h"
#include "scenario/builtin_scenarios.h"
#include "scenario/live_param_text.h"

namespace cs::scenario::test {
namespace {

std::string refusal(const Scenario& s, const LiveParam& live, std::string_view text) {
    try {
        parse_live_value(s, live, text);
    } catch (const rt::InvalidArgument& e) {
        return e.what();
    }
    return "accepted";
}

TEST(LiveParamText, ParsesAndFormatsEachTypeOnTheControllersScale) {
    const Scenario pool = load_scenario("worker_pool");
    const LiveParam& workers = *pool.find_live("pool", "workers");
    const LiveParam& work = *pool.find_live("pool", "work");  // a distribution's mean
    EXPECT_EQ(parse_live_value(pool, workers, " 8 "), 8);
    EXPECT_EQ(format_live_value(pool, workers, 8), "8");
    EXPECT_EQ(parse_live_value(pool, work, "40ms"), 40e6);
    EXPECT_EQ(format_live_value(pool, work, 40e6), "40ms");

    const Scenario cache = load_scenario("cache_aside");
    const LiveParam& ratio = *cache.find_live("app", "write_ratio");
    EXPECT_EQ(parse_live_value(cache, ratio, "0.25"), 0.25);
    EXPECT_EQ(format_live_value(cache, ratio, 0.25), "0.25");

    const Scenario stampede = load_scenario("stampede");
    const LiveParam& protection = *stampede.find_live("app", "protection");
    const ParamSpec& spec = live_param_spec(stampede, protection);
    ASSERT_EQ(spec.type, ParamType::choice);
    for (size_t i = 0; i < spec.choices.size(); ++i) {
        EXPECT_EQ(parse_live_value(stampede, protection, spec.choices[i]), double(i));
        EXPECT_EQ(format_live_value(stampede, protection, double(i)), spec.choices[i]);
    }

    const Scenario write_behind = load_scenario("write_behind");
    const LiveParam& available = *write_behind.find_live("db", "available");
    EXPECT_EQ(parse_live_value(write_behind, available, "false"), 0);
    EXPECT_EQ(format_live_value(write_behind, available, 1), "true");
}

TEST(LiveParamText, RefusesWhatIsNotOfTheParametersFormAndSaysWhatIs) {
    const Scenario pool = load_scenario("worker_pool");
    EXPECT_EQ(refusal(pool, *pool.find_live("pool", "workers"), "2.5"),
              "pool.workers: \"2.5\" is not a whole number, such as 8");
    EXPECT_EQ(refusal(pool, *pool.find_live("pool", "workers"), "eight"),
              "pool.workers: \"eight\" is not a whole number, such as 8");
    EXPECT_EQ(refusal(pool, *pool.find_live("pool", "work"), "40"),
              "pool.work: \"40\" is not a duration, such as 20ms or 1.5s");
    EXPECT_EQ(refusal(pool, *pool.find_live("producer", "rate"), "nan"),
              "producer.rate: \"nan\" is not a number, such as 0.25");
    const Scenario stampede = load_scenario("stampede");
    EXPECT_NE(refusal(stampede, *stampede.find_live("app", "protection"), "lock")
                  .find("\"lock\" is not one of none, "),
              std::string::npos);
    const Scenario write_behind = load_scenario("write_behind");
    EXPECT_EQ(refusal(write_behind, *write_behind.find_live("db", "available"), "yes"),
              "db.available: \"yes\" is not true or false");
}

}  // namespace
}  // namespace cs::scenario::test
