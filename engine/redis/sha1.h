#pragma once
// sha1_hex: the SHA-1 digest of some bytes as 40 lowercase hex digits — the name Redis gives a
// Lua script (EVALSHA, SCRIPT LOAD), computed here so a client can call a script by its digest
// without asking each server first. Not for security: SHA-1 is broken for that. Thread-safe.
//
//   sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d"
#include <string>
#include <string_view>

namespace cs::redis {

std::string sha1_hex(std::string_view bytes);

}  // namespace cs::redis
