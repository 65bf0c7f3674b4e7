#include "redis/sha1.h"

#include <array>
#include <cstdint>

namespace cs::redis {

namespace {

uint32_t rotl(uint32_t x, int n) {
    return (x << n) | (x >> (32 - n));
}

// One 64-byte block into the state (FIPS 180-4, 6.1.2).
void compress(std::array<uint32_t, 5>& h, const unsigned char* block) {
    std::array<uint32_t, 80> w{};
    for (int i = 0; i < 16; ++i)
        w[size_t(i)] = uint32_t(block[4 * i]) << 24 | uint32_t(block[4 * i + 1]) << 16 |
                       uint32_t(block[4 * i + 2]) << 8 | uint32_t(block[4 * i + 3]);
    for (size_t i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (size_t i = 0; i < 80; ++i) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d), k = 0x5a827999;
        } else if (i < 40) {
            f = b ^ c ^ d, k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d, k = 0xca62c1d6;
        }
        uint32_t t = rotl(a, 5) + f + e + k + w[i];
        e = d, d = c, c = rotl(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

}  // namespace

std::string sha1_hex(std::string_view bytes) {
    std::array<uint32_t, 5> h{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    size_t whole = bytes.size() / 64 * 64;
    for (size_t at = 0; at < whole; at += 64) compress(h, data + at);

    // The tail, a 1 bit, zeros, and the length in bits as 64-bit big-endian: one or two blocks.
    std::array<unsigned char, 128> last{};
    size_t tail = bytes.size() - whole;
    for (size_t i = 0; i < tail; ++i) last[i] = data[whole + i];
    last[tail] = 0x80;
    size_t blocks = tail + 1 + 8 <= 64 ? 1 : 2;
    uint64_t bits = uint64_t(bytes.size()) * 8;
    for (int i = 0; i < 8; ++i) last[blocks * 64 - 1 - size_t(i)] = uint8_t(bits >> (8 * i));
    for (size_t b = 0; b < blocks; ++b) compress(h, last.data() + 64 * b);

    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(40);
    for (uint32_t word : h)
        for (int shift = 28; shift >= 0; shift -= 4) out += hex[(word >> shift) & 0xf];
    return out;
}

}  // namespace cs::redis
