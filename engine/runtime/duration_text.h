#pragma once
// Durations as people write them in scenario files and read them in reports: "20ms", "1.5s",
// "250us", "2min". Units: ns, us, ms, s, min, h.
#include <optional>
#include <string>
#include <string_view>

#include "runtime/clock.h"

namespace cs::rt {

std::string format_duration(Duration d);  // the largest unit that keeps the number >= 1
// A non-negative number followed by a unit; nullopt for anything else ("20", "5 parsecs", "-1s").
std::optional<Duration> parse_duration(std::string_view text);

}  // namespace cs::rt
