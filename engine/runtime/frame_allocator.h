#pragma once
// Coroutine frames come and go at the rate tasks are spawned and finish — often allocated on
// one worker and freed on another. glibc's malloc serializes such cross-thread frees on the
// allocating arena's lock; this allocator keeps per-thread caches by size class instead, and
// moves frames between threads in batches through a global pool (as Go keeps free goroutines
// per P and in a global list). Frames above the largest class go to malloc. Thread-safe.
#include <cstddef>

namespace cs::rt::frame_allocator {

void* allocate(std::size_t size);
void deallocate(void* p, std::size_t size) noexcept;

}  // namespace cs::rt::frame_allocator
