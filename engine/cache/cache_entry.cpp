#include "cache/cache_entry.h"

#include <cstring>
#include <string>

namespace cs::cache {

CacheEntry::CacheEntry(CacheEntry&& other) noexcept {
    *this = std::move(other);
}

CacheEntry& CacheEntry::operator=(CacheEntry&& other) noexcept {
    if (this == &other) return *this;
    release();
    expires_ns = other.expires_ns;
    cost = other.cost;
    m_key_len = other.m_key_len;
    m_value_len = other.m_value_len;
    m_on_heap = other.m_on_heap;
    m_live = other.m_live;
    std::memcpy(m_inline, other.m_inline, inline_capacity);  // the bytes, or the block's address
    other.m_on_heap = false;
    other.reset();
    return *this;
}

void CacheEntry::assign(std::string_view key, std::string_view value) {
    store(key, value);
    m_live = true;
}

void CacheEntry::replace_value(std::string_view value) {
    if (!m_on_heap && m_key_len + value.size() <= inline_capacity) {
        std::memcpy(m_inline + m_key_len, value.data(), value.size());
        m_value_len = uint32_t(value.size());
        return;
    }
    // The key moves along with the value into a block of the new size.
    std::string key(this->key());
    store(key, value);
}

void CacheEntry::reset() noexcept {
    release();
    expires_ns = never_expires;
    cost = 0;
    m_key_len = m_value_len = 0;
    m_live = false;
}

void CacheEntry::store(std::string_view key, std::string_view value) {
    // Key or value may point into the current heap block: free it only after copying, and note
    // it first, since writing inline bytes overwrites the pointer.
    char* old_block = m_on_heap ? heap_block() : nullptr;
    size_t total = key.size() + value.size();
    char* out = total > inline_capacity ? new char[total] : m_inline;
    std::memmove(out, key.data(), key.size());
    std::memmove(out + key.size(), value.data(), value.size());
    delete[] old_block;
    m_on_heap = out != m_inline;
    if (m_on_heap) std::memcpy(m_inline, &out, sizeof out);
    m_key_len = uint32_t(key.size());
    m_value_len = uint32_t(value.size());
}

void CacheEntry::release() noexcept {
    if (m_on_heap) delete[] heap_block();
    m_on_heap = false;
}

}  // namespace cs::cache
