#pragma once
// ShardLock: a cache shard's reader-writer lock, made for reads that far outnumber writes and
// run on every core at once. A reader announces itself in its thread's lane (ReaderLanes: a word
// per shard, in cache lines only that lane's threads write) and checks the shard's writer flag;
// so readers on different cores write no line another core reads, and a get costs no transfer
// of a cache line between cores. A lock word every reader writes (a spin lock, a
// std::shared_mutex) moves between the cores on every get instead, and makes two threads reading
// slower than one. A writer raises the flag, then waits until no lane shows a reader of the
// shard; readers that see the flag step back and wait, so writers are not starved. Writes pay
// for it by reading one word per lane.
//
// A lane word also counts the shard's hits above its reader count, so that a hit is counted by
// the same atomic add that leaves; misses have a word of their own per lane.
//
//   ReaderLanes lanes(shards.size());
//   ShardLock lock(lanes, 3);
//   SharedHold hold = lock.lock_shared();  ...read...  hold.leave(ReadOutcome::hit);
//   std::lock_guard exclusive(lock);       ...write...
//
// Thread-safe.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "runtime/thread_slot.h"

namespace cs::cache {

class ReaderLanes {
  public:
    // `lanes` 0: chosen from the cores (twice as many, 4 to 32), so that the threads of an
    // engine rarely share one. Rounded up to a power of two.
    explicit ReaderLanes(size_t shards, size_t lanes = 0);

    size_t lanes() const noexcept { return m_lanes; }
    size_t stride() const noexcept { return m_stride; }  // words from one lane to the next
    std::atomic<uint64_t>& reader_word(size_t lane, size_t shard) noexcept {
        return m_words[lane * m_stride + shard];
    }
    std::atomic<uint64_t>& miss_word(size_t lane) noexcept {
        return m_words[lane * m_stride + m_shards];
    }
    uint64_t hits() const noexcept;    // summed over every lane and shard
    uint64_t misses() const noexcept;  // summed over every lane

    static constexpr uint64_t hit_unit = uint64_t(1) << 16;  // below: readers inside now
    static constexpr uint64_t readers_mask = hit_unit - 1;

  private:
    size_t m_shards, m_lanes;
    size_t m_stride;  // words per lane: the shards' and the misses', in whole cache lines
    std::unique_ptr<std::atomic<uint64_t>[]> m_storage;
    std::atomic<uint64_t>* m_words;  // m_storage aligned to a cache line
};

enum class ReadOutcome { uncounted, hit, miss };

// A reader inside a shard; leave() exactly once. Not copyable, so it cannot leave twice.
class SharedHold {
  public:
    SharedHold(const SharedHold&) = delete;
    SharedHold& operator=(const SharedHold&) = delete;

    void leave(ReadOutcome outcome) noexcept {
        switch (outcome) {
            case ReadOutcome::hit:
                m_word->fetch_add(ReaderLanes::hit_unit - 1, std::memory_order_release);
                return;
            case ReadOutcome::miss:
                m_misses->fetch_add(1, std::memory_order_relaxed);
                [[fallthrough]];
            case ReadOutcome::uncounted:
                m_word->fetch_sub(1, std::memory_order_release);
                return;
        }
    }

  private:
    friend class ShardLock;
    SharedHold(std::atomic<uint64_t>* word, std::atomic<uint64_t>* misses)
        : m_word(word), m_misses(misses) {}
    std::atomic<uint64_t>* m_word;
    std::atomic<uint64_t>* m_misses;
};

class ShardLock {
  public:
    ShardLock(ReaderLanes& lanes, size_t shard)
        : m_column(&lanes.reader_word(0, shard)),
          m_stride(lanes.stride()),
          m_lane_mask(lanes.lanes() - 1),
          m_misses_offset(&lanes.miss_word(0) - m_column) {}
    ShardLock(const ShardLock&) = delete;
    ShardLock& operator=(const ShardLock&) = delete;

    // Exclusive (BasicLockable, for std::lock_guard): waits out other writers, then every
    // reader inside. Raising the flag and then looking at the lanes, both sequentially
    // consistent, pairs with lock_shared's announce-then-look: at least one side sees the other.
    void lock() noexcept {
        if (m_writer.exchange(true, std::memory_order_seq_cst)) [[unlikely]]
            wait_for_writer_then_raise();
        std::atomic<uint64_t>* word = m_column;
        for (size_t lane = 0; lane <= m_lane_mask; ++lane, word += m_stride)
            if ((word->load(std::memory_order_seq_cst) & ReaderLanes::readers_mask) != 0)
                [[unlikely]]
                wait_for_readers(*word);
    }
    void unlock() noexcept { m_writer.store(false, std::memory_order_release); }

    SharedHold lock_shared() noexcept {
        std::atomic<uint64_t>* word = m_column + (rt::thread_slot() & m_lane_mask) * m_stride;
        while (true) {
            word->fetch_add(1, std::memory_order_seq_cst);
            if (!m_writer.load(std::memory_order_seq_cst)) [[likely]]
                return SharedHold(word, word + m_misses_offset);
            word->fetch_sub(1, std::memory_order_relaxed);
            wait_for_writer();
        }
    }

  private:
    void wait_for_writer() noexcept;
    void wait_for_writer_then_raise() noexcept;
    static void wait_for_readers(const std::atomic<uint64_t>& word) noexcept;

    std::atomic<bool> m_writer{false};
    // Where this shard's words are in the lanes: lane l's is m_column + l * m_stride, and lane
    // l's miss word is m_misses_offset past it.
    std::atomic<uint64_t>* const m_column;
    const size_t m_stride;
    const size_t m_lane_mask;
    const ptrdiff_t m_misses_offset;
};

}  // namespace cs::cache
