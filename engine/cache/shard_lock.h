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
//   ShardLock lock(&lanes, 3);
//   SharedHold hold = lock.lock_shared();  ...read...  hold.leave(ReadOutcome::hit);
//   std::lock_guard exclusive(lock);       ...write...
//
// Thread-safe.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace cs::cache {

class ReaderLanes {
  public:
    // `lanes` 0: chosen from the cores (twice as many, 4 to 32), so that the threads of an
    // engine rarely share one. Rounded up to a power of two.
    explicit ReaderLanes(size_t shards, size_t lanes = 0);

    size_t lanes() const noexcept { return m_lanes; }
    size_t my_lane() const noexcept;
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

// A reader inside a shard; leave() exactly once.
class SharedHold {
  public:
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
    ShardLock(ReaderLanes& lanes, size_t shard) : m_lanes(lanes), m_shard(shard) {}
    ShardLock(const ShardLock&) = delete;
    ShardLock& operator=(const ShardLock&) = delete;

    // Exclusive (BasicLockable, for std::lock_guard): waits out other writers and every reader.
    void lock() noexcept;
    void unlock() noexcept { m_writer.store(false, std::memory_order_release); }

    SharedHold lock_shared() noexcept {
        size_t lane = m_lanes.my_lane();
        std::atomic<uint64_t>& word = m_lanes.reader_word(lane, m_shard);
        // Announce, then look for a writer; the writer raises its flag, then looks for readers.
        // Both sides sequentially consistent: at least one of them sees the other.
        while (true) {
            word.fetch_add(1, std::memory_order_seq_cst);
            if (!m_writer.load(std::memory_order_seq_cst)) [[likely]]
                return SharedHold(&word, &m_lanes.miss_word(lane));
            word.fetch_sub(1, std::memory_order_relaxed);
            wait_for_writer();
        }
    }

  private:
    void wait_for_writer() noexcept;

    std::atomic<bool> m_writer{false};
    ReaderLanes& m_lanes;
    const size_t m_shard;
};

}  // namespace cs::cache
