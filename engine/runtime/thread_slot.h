#pragma once
// thread_slot(): a small number for the calling thread, for structures striped by thread (a
// cache's reader lanes). The first 64 live threads that ask get distinct numbers 0..63, the
// lowest free one each; a thread's number is free again when it exits, so short-lived threads
// (a benchmark's, a test's) do not use the numbers up. Threads beyond 64 share numbers.
// Thread-safe; after a thread's first call, a call reads a thread_local.
//
//   Lane& mine = lanes[rt::thread_slot() % lanes.size()];
namespace cs::rt {

constexpr unsigned thread_slot_count = 64;

unsigned claim_thread_slot() noexcept;  // the first call's work

inline thread_local int t_thread_slot = -1;

inline unsigned thread_slot() noexcept {
    int slot = t_thread_slot;
    if (slot < 0) [[unlikely]]
        return claim_thread_slot();
    return unsigned(slot);
}

}  // namespace cs::rt
