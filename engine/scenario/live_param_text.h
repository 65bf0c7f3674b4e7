#pragma once
// A live parameter as people type and read it — "8", "0.25", "20ms", "true", a choice's name —
// and its value on the controller's numeric scale (nanoseconds for durations and distribution
// means, 0/1 for a switch, the position of a choice). The GUI's parameter inspector uses it.
//
//   double v = parse_live_value(s, *s.find_live("pool", "work"), "40ms");   // 4e7
//   controller.set_param("pool", "work", v);                               // checks the range
#include <string>
#include <string_view>

#include "scenario/scenario.h"

namespace cs::scenario {

const ParamSpec& live_param_spec(const Scenario& s, const LiveParam& live);

// Throws rt::InvalidArgument naming node.param, the text typed and the form expected. The range
// is the controller's to check (set_param), so that one message serves every caller.
double parse_live_value(const Scenario& s, const LiveParam& live, std::string_view text);
std::string format_live_value(const Scenario& s, const LiveParam& live, double value);

}  // namespace cs::scenario
