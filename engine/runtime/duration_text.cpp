#include "runtime/duration_text.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace cs::rt {
namespace {

struct Unit {
    int64_t ns;
    const char* suffix;
};
// Largest first: format picks the first that fits.
constexpr Unit units[] = {{3'600'000'000'000, "h"}, {60'000'000'000, "min"}, {1'000'000'000, "s"},
                          {1'000'000, "ms"},        {1'000, "us"},           {1, "ns"}};

}  // namespace

std::string format_duration(Duration d) {
    int64_t ns = d.count();
    if (ns == 0) return "0s";
    for (const Unit& u : units) {
        if (std::llabs(ns) >= u.ns || u.ns == 1) {
            char buf[48];
            std::snprintf(buf, sizeof buf, "%.3g%s", static_cast<double>(ns) / double(u.ns),
                          u.suffix);
            return buf;
        }
    }
    return "?";
}

std::optional<Duration> parse_duration(std::string_view text) {
    size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
    if (i == 0) return std::nullopt;
    std::string number(text.substr(0, i));
    char* end = nullptr;
    double value = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size() || !std::isfinite(value)) return std::nullopt;
    std::string_view suffix = text.substr(i);
    for (const Unit& u : units) {
        if (suffix == u.suffix) {
            double ns = value * static_cast<double>(u.ns);
            if (ns > 9.2e18) return std::nullopt;
            return Duration(static_cast<int64_t>(std::llround(ns)));
        }
    }
    return std::nullopt;
}

}  // namespace cs::rt
