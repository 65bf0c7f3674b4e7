#include "runtime/thread_slot.h"

#include <atomic>
#include <bit>
#include <cstdint>

namespace cs::rt {

namespace {

static_assert(thread_slot_count == 64, "the numbers taken are the bits of one word");
std::atomic<uint64_t> g_taken{0};
std::atomic<unsigned> g_shared{0};  // hands out numbers round-robin once all 64 are taken

// Holds the thread's number and gives it back when the thread exits.
struct Holder {
    unsigned slot = 0;
    bool owned = false;
    Holder() {
        uint64_t taken = g_taken.load(std::memory_order_relaxed);
        while (~taken != 0) {
            unsigned lowest_free = unsigned(std::countr_one(taken));
            if (g_taken.compare_exchange_weak(taken, taken | (uint64_t(1) << lowest_free),
                                              std::memory_order_relaxed)) {
                slot = lowest_free;
                owned = true;
                return;
            }
        }
        slot = g_shared.fetch_add(1, std::memory_order_relaxed) % thread_slot_count;
    }
    ~Holder() {
        // t_thread_slot keeps the number: a thread_local destroyed after this one may still ask,
        // and sharing a number with the thread that takes it next is only slower, never wrong.
        if (owned) g_taken.fetch_and(~(uint64_t(1) << slot), std::memory_order_relaxed);
    }
};

}  // namespace

unsigned claim_thread_slot() noexcept {
    thread_local Holder holder;
    t_thread_slot = int(holder.slot);
    return holder.slot;
}

}  // namespace cs::rt
