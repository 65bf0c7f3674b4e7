#pragma once
// Reply: a Redis reply as a value (RESP2: nil, bulk string, integer, status, error, array) —
// what the engine hands around instead of hiredis's structures, which stay private to it.
#include <string>
#include <vector>

namespace cs::redis {

struct Reply {
    enum class Type { nil, string, integer, status, error, array };

    Type type = Type::nil;
    std::string str;             // string, status, error: the text
    long long integer = 0;       // integer
    std::vector<Reply> elements;  // array

    bool is_nil() const noexcept { return type == Type::nil; }
    bool is_error() const noexcept { return type == Type::error; }
};

// One command: its name and arguments, binary-safe.
using Command = std::vector<std::string>;

}  // namespace cs::redis
