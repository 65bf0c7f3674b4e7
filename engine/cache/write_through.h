#pragma once
// WriteThrough: a write goes to the origin and the cache together, and fails as a whole. The
// origin is written first; only once it has the value does the cache get it. If the origin
// write fails, the OriginError reaches the caller and the cache is left without the key: not
// the new value (the origin does not have it), and not the old one either (a failed write may
// still have landed — a timeout after the commit — so the old value may be stale).
//
//   WriteThrough writes(tier, db, {.ttl = Ttl::of(30s)});
//   co_await writes.write("user:1", "Ada");   // from a task; throws OriginError on failure
//   co_await writes.erase("user:1");
//
// Concurrent writes of one key: their origin writes may land in any order, so the one whose
// cache set comes last need not be the one the origin kept. A write that overlapped another
// write or erase of the same key therefore invalidates the key after its own set, and the next
// read loads whatever the origin kept. Writes of different keys never wait for each other.
//
// Thread-safe. The tier and the origin must outlive every call.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "cache/cache_tier.h"
#include "cache/origin.h"
#include "cache/ttl.h"
#include "runtime/task.h"

namespace cs::cache {

struct WriteThroughOptions {
    Ttl ttl = Ttl::cache_default();  // how long a written value lives in the cache
};

struct WriteThroughStats {
    uint64_t writes = 0;          // writes that reached the origin and the cache
    uint64_t failed_writes = 0;   // writes the origin refused (OriginError reached the caller)
    uint64_t erases = 0;          // erases done in the origin and the cache
    uint64_t failed_erases = 0;   // erases the origin refused
    uint64_t contended = 0;       // writes that overlapped another write or erase of the same
                                  // key and so left it invalidated rather than set
    uint64_t cache_failures = 0;  // calls the origin accepted but the cache tier threw on
};

class WriteThrough {
  public:
    WriteThrough(CacheTier& tier, Origin& origin, WriteThroughOptions options = {});
    WriteThrough(const WriteThrough&) = delete;
    WriteThrough& operator=(const WriteThrough&) = delete;

    // Stores in the origin, then sets the cache. On an origin failure, invalidates the key in
    // the cache and rethrows. If the origin succeeds but the cache tier throws, the key is
    // invalidated as far as the tier allows and the tier's error is rethrown: the origin has
    // the value.
    rt::Task<void> write(std::string key, std::string value);
    // Erases in the origin, then removes the key from the cache; on an origin failure the key
    // is invalidated and the error rethrown. Returns whether the origin had the key.
    rt::Task<bool> erase(std::string key);

    WriteThroughStats stats() const;
    const WriteThroughOptions& options() const noexcept { return m_options; }

  private:
    // Calls (writes and erases) of one key in progress.
    struct KeyCalls {
        uint32_t active = 0;   // calls in progress
        uint64_t started = 0;  // calls started since the first of them
    };
    class CallScope;  // one call's time in m_calls: tells it whether another overlapped it

    // Invalidates the key, swallowing a tier error (the caller is already reporting one).
    rt::Task<void> invalidate_quietly(const std::string& key);

    CacheTier& m_tier;
    Origin& m_origin;
    const WriteThroughOptions m_options;

    std::mutex m_mu;  // guards m_calls
    std::unordered_map<std::string, KeyCalls> m_calls;

    std::atomic<uint64_t> m_writes{0}, m_failed_writes{0}, m_erases{0}, m_failed_erases{0},
        m_contended{0}, m_cache_failures{0};
};

}  // namespace cs::cache
