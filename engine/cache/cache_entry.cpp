#include "cache/cache_entry.h"

namespace cs::cache {

CacheEntry::CacheEntry(CacheEntry&& other) noexcept {
    *this = std::move(other);
}

CacheEntry& CacheEntry::operator=(CacheEntry&& other) noexcept {
    if (this == &other) return *this;
    release();
    expires_ns = other.expires_ns;
    m_key_len = other.m_key_len;
    m_value_len = other.m_value_len;
    std::memcpy(m_inline, other.m_inline, inline_capacity);  // the bytes, or the block's address
    other.m_key_len = 0;  // the block is ours now
    other.reset();
    return *this;
}

void CacheEntry::assign(std::string_view key, std::string_view value) {
    store(key, value);
}

void CacheEntry::replace_value(std::string_view value) {
    if (!on_heap() && m_key_len + value.size() <= inline_capacity) {
        std::memcpy(m_inline + m_key_len, value.data(), value.size());
        m_value_len = uint8_t(value.size());
        return;
    }
    store(key(), value);
}

void CacheEntry::reset() noexcept {
    release();
    expires_ns = never_expires;
    m_key_len = m_value_len = 0;
}

void CacheEntry::store(std::string_view key, std::string_view value) {
    // Key or value may point into the current heap block: free it only after copying.
    char* old_block = on_heap() ? heap().block : nullptr;
    size_t total = key.size() + value.size();
    if (total <= inline_capacity) {
        std::memmove(m_inline, key.data(), key.size());
        std::memmove(m_inline + key.size(), value.data(), value.size());
        m_key_len = uint8_t(key.size());
        m_value_len = uint8_t(value.size());
    } else {
        Heap h{new char[total], uint32_t(key.size()), uint32_t(value.size())};
        std::memcpy(h.block, key.data(), key.size());
        std::memcpy(h.block + key.size(), value.data(), value.size());
        std::memcpy(m_inline, &h, sizeof h);
        m_key_len = on_heap_mark;
        m_value_len = 0;
    }
    delete[] old_block;
}

void CacheEntry::release() noexcept {
    if (on_heap()) delete[] heap().block;
    m_key_len = 0;
}

}  // namespace cs::cache
