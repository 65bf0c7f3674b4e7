#include "cache/eviction_policy.h"

#include "runtime/errors.h"

namespace cs::cache {

std::unique_ptr<EvictionPolicy> make_lru_policy(uint64_t capacity);
std::unique_ptr<EvictionPolicy> make_lfu_policy(uint64_t capacity);
std::unique_ptr<EvictionPolicy> make_wtinylfu_policy(uint64_t capacity, uint64_t expected_entries);
std::unique_ptr<EvictionPolicy> make_s3fifo_policy(uint64_t capacity);

std::unique_ptr<EvictionPolicy> make_policy(PolicyKind kind, uint64_t capacity,
                                            uint64_t expected_entries) {
    if (capacity < 1)
        rt::throw_out_of_range("cache capacity", static_cast<long long>(capacity), "1 ..");
    switch (kind) {
        case PolicyKind::lru:
            return make_lru_policy(capacity);
        case PolicyKind::lfu:
            return make_lfu_policy(capacity);
        case PolicyKind::wtinylfu:
            return make_wtinylfu_policy(capacity, expected_entries);
        case PolicyKind::s3fifo:
            return make_s3fifo_policy(capacity);
    }
    throw rt::InvalidArgument("unknown eviction policy");
}

const char* to_string(PolicyKind k) noexcept {
    switch (k) {
        case PolicyKind::lru:
            return "lru";
        case PolicyKind::lfu:
            return "lfu";
        case PolicyKind::wtinylfu:
            return "wtinylfu";
        case PolicyKind::s3fifo:
            return "s3fifo";
    }
    return "?";
}

std::optional<PolicyKind> policy_kind_named(std::string_view name) {
    for (PolicyKind k : all_policy_kinds)
        if (name == to_string(k)) return k;
    return std::nullopt;
}

}  // namespace cs::cache
