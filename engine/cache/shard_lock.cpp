#include "cache/shard_lock.h"

#include <algorithm>
#include <bit>
#include <thread>

#include "runtime/spin_lock.h"

namespace cs::cache {

namespace {
constexpr size_t words_per_line = 64 / sizeof(std::atomic<uint64_t>);
}

ReaderLanes::ReaderLanes(size_t shards, size_t lanes) : m_shards(shards) {
    if (lanes == 0) {
        size_t cores = std::max(1u, std::thread::hardware_concurrency());
        lanes = std::clamp<size_t>(2 * cores, 4, 32);
    }
    m_lanes = std::bit_ceil(lanes);
    m_stride = (shards + 1 + words_per_line - 1) / words_per_line * words_per_line;
    size_t words = m_lanes * m_stride;
    m_storage.reset(new std::atomic<uint64_t>[words + words_per_line - 1]);
    auto address = reinterpret_cast<uintptr_t>(m_storage.get());
    size_t skip = (64 - address % 64) % 64 / sizeof(std::atomic<uint64_t>);
    m_words = m_storage.get() + skip;
    for (size_t i = 0; i < words; ++i) m_words[i].store(0, std::memory_order_relaxed);
}

uint64_t ReaderLanes::hits() const noexcept {
    uint64_t n = 0;
    for (size_t lane = 0; lane < m_lanes; ++lane)
        for (size_t shard = 0; shard < m_shards; ++shard)
            n += m_words[lane * m_stride + shard].load(std::memory_order_relaxed) / hit_unit;
    return n;
}

uint64_t ReaderLanes::misses() const noexcept {
    uint64_t n = 0;
    for (size_t lane = 0; lane < m_lanes; ++lane)
        n += m_words[lane * m_stride + m_shards].load(std::memory_order_relaxed);
    return n;
}

void ShardLock::wait_for_writer_then_raise() noexcept {
    rt::SpinWait wait;
    do {
        while (m_writer.load(std::memory_order_relaxed)) wait.once();
    } while (m_writer.exchange(true, std::memory_order_seq_cst));
}

void ShardLock::wait_for_readers(const std::atomic<uint64_t>& word) noexcept {
    rt::SpinWait wait;
    while ((word.load(std::memory_order_seq_cst) & ReaderLanes::readers_mask) != 0) wait.once();
}

void ShardLock::wait_for_writer() noexcept {
    rt::SpinWait wait;
    while (m_writer.load(std::memory_order_relaxed)) wait.once();
}

}  // namespace cs::cache
