#include "cache/tag_index.h"

#include <algorithm>

namespace cs::cache {

namespace {

template <class Tags>
void add_tags(std::unordered_map<std::string, std::unordered_set<std::string>>& keys_by_tag,
              std::unordered_map<std::string, std::unordered_set<std::string>>& tags_by_key,
              std::string_view key, const Tags& tags) {
    if (std::empty(tags)) return;
    auto& mine = tags_by_key[std::string(key)];
    for (const auto& t : tags) {
        std::string tag(t);
        keys_by_tag[tag].emplace(key);
        mine.insert(std::move(tag));
    }
}

}  // namespace

void TagIndex::tag(std::string_view key, std::initializer_list<std::string_view> tags) {
    std::lock_guard lock(m_mu);
    add_tags(m_keys_by_tag, m_tags_by_key, key, tags);
}

void TagIndex::tag(std::string_view key, const std::vector<std::string>& tags) {
    std::lock_guard lock(m_mu);
    add_tags(m_keys_by_tag, m_tags_by_key, key, tags);
}

std::vector<std::string> TagIndex::take_keys(std::string_view tag) {
    std::lock_guard lock(m_mu);
    auto it = m_keys_by_tag.find(std::string(tag));
    if (it == m_keys_by_tag.end()) return {};
    std::vector<std::string> keys(it->second.begin(), it->second.end());
    m_keys_by_tag.erase(it);
    for (const std::string& k : keys) forget_locked(k);
    return keys;
}

void TagIndex::forget(std::string_view key) {
    std::lock_guard lock(m_mu);
    forget_locked(std::string(key));
}

void TagIndex::forget_locked(const std::string& key) {
    auto it = m_tags_by_key.find(key);
    if (it == m_tags_by_key.end()) return;
    for (const std::string& t : it->second) {
        auto kt = m_keys_by_tag.find(t);
        if (kt == m_keys_by_tag.end()) continue;  // the tag being taken: already gone
        kt->second.erase(key);
        if (kt->second.empty()) m_keys_by_tag.erase(kt);
    }
    m_tags_by_key.erase(it);
}

std::vector<std::string> TagIndex::tags_of(std::string_view key) const {
    std::lock_guard lock(m_mu);
    auto it = m_tags_by_key.find(std::string(key));
    if (it == m_tags_by_key.end()) return {};
    std::vector<std::string> out(it->second.begin(), it->second.end());
    std::sort(out.begin(), out.end());
    return out;
}

size_t TagIndex::key_count() const {
    std::lock_guard lock(m_mu);
    return m_tags_by_key.size();
}

size_t TagIndex::tag_count() const {
    std::lock_guard lock(m_mu);
    return m_keys_by_tag.size();
}

}  // namespace cs::cache
