#pragma once
// Where each value of a JSON text sits (line and column, 1-based), keyed by its path in the
// form the error messages use: $.nodes[1].workers. For an object member there are two places:
// its key (for "unknown field") and its value (for "wrong type" or "out of range").
#include <map>
#include <string>
#include <string_view>

namespace cs::scenario {

struct TextPosition {
    int line = 1, column = 1;
};

struct JsonLocation {
    TextPosition key;  // the member's key; the value itself for array elements and the root
    TextPosition value;
};

// `text` must be valid JSON (parse it first); the scan does not report syntax errors.
std::map<std::string, JsonLocation> locate_json_values(std::string_view text);

// Line and column of a byte offset (columns count characters, not UTF-8 bytes).
TextPosition position_of_offset(std::string_view text, size_t offset);

// "$.nodes[1]" + "workers" -> "$.nodes[1].workers"; a key that is not an identifier is quoted:
// $.params["rate limit"].
std::string member_path(const std::string& parent, const std::string& key);
std::string element_path(const std::string& parent, size_t index);

}  // namespace cs::scenario
