#pragma once
// BlockedTime: how long tasks spent parked on one object (a channel, a semaphore, a mutex), in
// telemetry ticks. Charged by the worker that resumes the task, into that worker's own slot with
// a plain add — an atomic read-modify-write on a counter every worker shares would cost more
// than the rest of a task switch. Readers sum the slots. Thread-safe.
#include <array>
#include <atomic>
#include <cstdint>

namespace cs::rt {

class BlockedTime {
  public:
    static constexpr int slots = 8;

    // `worker` is the resuming worker's index. Workers beyond the slot count share slots and so
    // need the atomic add.
    void add(int worker, int64_t ticks) noexcept {
        std::atomic<int64_t>& slot = m_slots[static_cast<size_t>(worker) % slots].value;
        if (worker < slots)
            slot.store(slot.load(std::memory_order_relaxed) + ticks, std::memory_order_relaxed);
        else
            slot.fetch_add(ticks, std::memory_order_relaxed);
    }

    int64_t total() const noexcept {
        int64_t sum = 0;
        for (const Slot& s : m_slots) sum += s.value.load(std::memory_order_relaxed);
        return sum;
    }

  private:
    struct alignas(64) Slot {
        std::atomic<int64_t> value{0};
    };
    std::array<Slot, slots> m_slots{};
};

}  // namespace cs::rt
