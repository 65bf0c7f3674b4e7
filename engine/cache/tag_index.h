#pragma once
// TagIndex: which cached keys carry which tags ("team:7", "org:2"), so that an invalidation by
// tag can find the entries it covers without scanning the cache. The application tags a key
// when it caches it; an invalidation bus subscriber takes the tag's keys and invalidates them.
//
//   TagIndex tags;
//   cache.set("user:1", "Ada");
//   tags.tag("user:1", {"team:7", "org:2"});
//   for (const auto& k : tags.take_keys("team:7")) cache.invalidate(k);
//
// One index per cache: take_keys hands the keys to one caller only. The index does not watch
// the cache: a key evicted or invalidated by other means stays listed until forget(key) (a
// cache's removal listener can call it) or until a take_keys returns it, which is harmless — its
// invalidation then removes nothing. Thread-safe.
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cs::cache {

class TagIndex {
  public:
    // Adds tags to the key (tags it already has stay).
    void tag(std::string_view key, std::initializer_list<std::string_view> tags);
    void tag(std::string_view key, const std::vector<std::string>& tags);

    // The keys carrying the tag, forgotten entirely (with every other tag they had): their
    // entries are about to be invalidated, and what gets cached again is tagged again.
    std::vector<std::string> take_keys(std::string_view tag);

    // Drops the key and its tags (its entry left the cache).
    void forget(std::string_view key);

    std::vector<std::string> tags_of(std::string_view key) const;  // sorted
    size_t key_count() const;
    size_t tag_count() const;

  private:
    void forget_locked(const std::string& key);

    mutable std::mutex m_mu;
    std::unordered_map<std::string, std::unordered_set<std::string>> m_keys_by_tag;
    std::unordered_map<std::string, std::unordered_set<std::string>> m_tags_by_key;
};

}  // namespace cs::cache
