#include "scenario/param.h"

#include <cstdio>

#include "runtime/duration_text.h"

namespace cs::scenario {
namespace {

std::string number_text(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

std::string duration_text(double ns) {
    return rt::format_duration(rt::Duration(static_cast<int64_t>(ns)));
}

}  // namespace

const char* to_string(ParamType t) noexcept {
    switch (t) {
        case ParamType::integer:
            return "an integer";
        case ParamType::number:
            return "a number";
        case ParamType::duration:
            return "a duration such as \"20ms\"";
        case ParamType::boolean:
            return "true or false";
        case ParamType::choice:
            return "a string";
        case ParamType::distribution:
            return "a distribution object";
        case ParamType::node:
            return "a node name";
        case ParamType::text:
            return "a string";
    }
    return "?";
}

std::string describe_range(const ParamSpec& spec) {
    switch (spec.type) {
        case ParamType::integer:
        case ParamType::number:
            return number_text(spec.min) + " .. " + number_text(spec.max);
        case ParamType::duration:
        case ParamType::distribution:
            return duration_text(spec.min) + " .. " + duration_text(spec.max);
        case ParamType::choice: {
            std::string out;
            for (const auto& c : spec.choices) out += (out.empty() ? "" : ", ") + c;
            return out;
        }
        case ParamType::boolean:
            return "true, false";
        case ParamType::node:
            return "a node name";
        case ParamType::text:
            return "a string";
    }
    return "?";
}

std::string describe_value(const ParamValue& value) {
    struct Visitor {
        std::string operator()(int64_t v) const { return std::to_string(v); }
        std::string operator()(double v) const { return number_text(v); }
        std::string operator()(rt::Duration v) const { return rt::format_duration(v); }
        std::string operator()(bool v) const { return v ? "true" : "false"; }
        std::string operator()(const std::string& v) const { return v; }
        std::string operator()(const patterns::WorkDistribution& v) const { return v.describe(); }
    };
    return std::visit(Visitor{}, value);
}

double numeric(const ParamValue& value) {
    struct Visitor {
        double operator()(int64_t v) const { return static_cast<double>(v); }
        double operator()(double v) const { return v; }
        double operator()(rt::Duration v) const { return static_cast<double>(v.count()); }
        double operator()(bool v) const { return v ? 1 : 0; }
        double operator()(const std::string&) const { return 0; }
        double operator()(const patterns::WorkDistribution& v) const {
            return static_cast<double>(v.mean().count());
        }
    };
    return std::visit(Visitor{}, value);
}

}  // namespace cs::scenario
