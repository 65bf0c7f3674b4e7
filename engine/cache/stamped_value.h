#pragma once
// StampedValue: a value as the loading cache stores it in its tier — prefixed by when it stops
// being fresh and how long its load took (XFetch's delta). The tier keeps it a little longer than
// it is fresh when stale serving is on, so an expired value is still there to fall back on.
// The prefix is 16 bytes, in the host's byte order (a tier is read by the process that wrote it,
// or by one on the same kind of machine).
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace cs::cache {

struct StampedValue {
    int64_t fresh_until_ns = 0;  // engine clock
    int64_t load_ns = 0;         // how long the load that produced it took
    std::string value;

    std::string encode() const {
        std::string out(16 + value.size(), '\0');
        std::memcpy(out.data(), &fresh_until_ns, 8);
        std::memcpy(out.data() + 8, &load_ns, 8);
        std::memcpy(out.data() + 16, value.data(), value.size());
        return out;
    }
    // nullopt for bytes that were not written by encode() (too short to hold the stamp).
    static std::optional<StampedValue> decode(std::string_view bytes) {
        if (bytes.size() < 16) return std::nullopt;
        StampedValue v;
        std::memcpy(&v.fresh_until_ns, bytes.data(), 8);
        std::memcpy(&v.load_ns, bytes.data() + 8, 8);
        v.value.assign(bytes.substr(16));
        return v;
    }
};

}  // namespace cs::cache
