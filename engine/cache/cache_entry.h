#pragma once
// CacheEntry: one key and its value as a cache shard stores them, in 32 bytes. When key and
// value together fit in 22 bytes they sit inline beside the expiry, so a hit compares the key,
// checks the expiry and copies the value touching one half cache line — what decides a cache's
// speed is how many bytes its lookups touch (a 100k-entry cache whose entries are 64 bytes
// already spills out of the share of L3 a core gets). Longer pairs keep their bytes in one heap
// block. Relocatable by moving (a table rebuild moves entries). Not thread-safe: the shard's lock
// guards it.
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

namespace cs::cache {

constexpr int64_t never_expires = std::numeric_limits<int64_t>::max();

class alignas(32) CacheEntry {
  public:
    CacheEntry() noexcept {}
    ~CacheEntry() { release(); }
    CacheEntry(CacheEntry&& other) noexcept;
    CacheEntry& operator=(CacheEntry&& other) noexcept;
    CacheEntry(const CacheEntry&) = delete;
    CacheEntry& operator=(const CacheEntry&) = delete;

    void assign(std::string_view key, std::string_view value);
    void replace_value(std::string_view value);
    // Empties the entry (frees its heap block).
    void reset() noexcept;

    std::string_view key() const noexcept {
        return on_heap() ? std::string_view(heap().block, heap().key_len)
                         : std::string_view(m_inline, m_key_len);
    }
    std::string_view value() const noexcept {
        return on_heap() ? std::string_view(heap().block + heap().key_len, heap().value_len)
                         : std::string_view(m_inline + m_key_len, m_value_len);
    }
    bool expired_at(int64_t now_ns) const noexcept {
        return expires_ns != never_expires && expires_ns <= now_ns;
    }

    int64_t expires_ns = never_expires;  // engine-clock nanoseconds

  private:
    static constexpr size_t inline_capacity = 22;
    static constexpr uint8_t on_heap_mark = 0xFF;  // in m_key_len: the bytes are in a heap block
    struct Heap {
        char* block;
        uint32_t key_len, value_len;
    };
    static_assert(sizeof(Heap) <= inline_capacity);

    bool on_heap() const noexcept { return m_key_len == on_heap_mark; }
    // On the heap, the inline bytes hold the block's address and lengths (unaligned: memcpy).
    Heap heap() const noexcept {
        Heap h;
        std::memcpy(&h, m_inline, sizeof h);
        return h;
    }
    void store(std::string_view key, std::string_view value);
    void release() noexcept;

    uint8_t m_key_len = 0, m_value_len = 0;
    char m_inline[inline_capacity];
};
static_assert(sizeof(CacheEntry) == 32);

}  // namespace cs::cache
