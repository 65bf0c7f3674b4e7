#pragma once
// hash_key: the 64-bit hash a cache computes for a string key on every call — a multiply-mix in
// the style of wyhash, which hashes a short key ("user:42") in a dozen instructions where
// std::hash's murmur loop takes fifty. Good avalanche in both halves: the shard is chosen by the
// high bits and the index slot by the low bits.
#include <cstdint>
#include <cstring>
#include <string_view>

namespace cs::cache {

namespace detail {
inline uint64_t mum(uint64_t a, uint64_t b) noexcept {
    __extension__ using u128 = unsigned __int128;  // GCC and Clang: the 64x64->128 multiply
    u128 r = static_cast<u128>(a) * b;
    return uint64_t(r) ^ uint64_t(r >> 64);
}
inline uint64_t read8(const char* p) noexcept {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}
inline uint64_t read_small(const char* p, size_t n) noexcept {  // 1 .. 7 bytes
    if (n >= 4) {
        uint32_t a, b;
        std::memcpy(&a, p, 4);
        std::memcpy(&b, p + n - 4, 4);
        return (uint64_t(a) << 32) | b;
    }
    return (uint64_t(uint8_t(p[0])) << 16) | (uint64_t(uint8_t(p[n >> 1])) << 8) |
           uint8_t(p[n - 1]);
}
}  // namespace detail

inline uint64_t hash_key(std::string_view key) noexcept {
    constexpr uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull,
                       k2 = 0x8ebc6af09c88c6e3ull;
    const char* p = key.data();
    size_t n = key.size();
    uint64_t seed = k0 ^ n;
    uint64_t a = 0, b = 0;
    if (n > 16) {
        const char* end = p + n;
        for (; end - p > 16; p += 16)
            seed = detail::mum(detail::read8(p) ^ k1, detail::read8(p + 8) ^ seed);
        a = detail::read8(end - 16);  // the last 16 bytes, overlapping what the loop took
        b = detail::read8(end - 8);
    } else if (n >= 8) {
        a = detail::read8(p);
        b = detail::read8(p + n - 8);  // overlaps `a` when n < 16
    } else if (n > 0) {
        a = detail::read_small(p, n);
    }
    return detail::mum(k1 ^ n, detail::mum(a ^ k1, b ^ seed) ^ k2);
}

}  // namespace cs::cache
