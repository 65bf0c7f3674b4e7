#pragma once
// CacheEntry: one key and its value as a cache shard stores them. When key and value together fit
// in 38 bytes they sit inline with the expiry and the cost in one 64-byte line, so a hit compares
// the key, checks the expiry and copies the value touching one cache line (two std::strings are
// already 64 bytes of headers, before any expiry). Longer pairs keep their bytes in one heap
// block. Not thread-safe: the shard's lock guards it.
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

namespace cs::cache {

constexpr int64_t never_expires = std::numeric_limits<int64_t>::max();

class alignas(64) CacheEntry {
  public:
    CacheEntry() noexcept {}
    ~CacheEntry() { release(); }
    CacheEntry(CacheEntry&& other) noexcept;
    CacheEntry& operator=(CacheEntry&& other) noexcept;
    CacheEntry(const CacheEntry&) = delete;
    CacheEntry& operator=(const CacheEntry&) = delete;

    // Makes the entry live with this key and value.
    void assign(std::string_view key, std::string_view value);
    void replace_value(std::string_view value);
    // Frees the entry (no longer live).
    void reset() noexcept;

    bool live() const noexcept { return m_live; }
    std::string_view key() const noexcept { return {bytes(), m_key_len}; }
    std::string_view value() const noexcept { return {bytes() + m_key_len, m_value_len}; }
    bool expired_at(int64_t now_ns) const noexcept {
        return expires_ns != never_expires && expires_ns <= now_ns;
    }

    int64_t expires_ns = never_expires;  // engine-clock nanoseconds
    uint64_t cost = 0;

  private:
    static constexpr size_t inline_capacity = 38;
    const char* bytes() const noexcept { return m_on_heap ? heap_block() : m_inline; }
    // On the heap, m_inline holds the block's address (unaligned, hence memcpy).
    char* heap_block() const noexcept {
        char* p;
        std::memcpy(&p, m_inline, sizeof p);
        return p;
    }
    void store(std::string_view key, std::string_view value);
    void release() noexcept;

    uint32_t m_key_len = 0, m_value_len = 0;
    bool m_on_heap = false, m_live = false;
    char m_inline[inline_capacity];
};
static_assert(sizeof(CacheEntry) == 64);

}  // namespace cs::cache
