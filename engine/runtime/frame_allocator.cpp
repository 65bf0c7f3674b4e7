#include "runtime/frame_allocator.h"

#include <array>
#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

namespace cs::rt::frame_allocator {
namespace {

constexpr std::size_t granule = 64;
constexpr std::size_t class_count = 32;  // frames up to 2 KiB
constexpr std::size_t batch = 64;        // frames moved to/from the global pool at once
constexpr std::size_t local_limit = 2 * batch;

struct FreeFrame {
    FreeFrame* next;
};

std::size_t class_of(std::size_t size) {
    return (size + granule - 1) / granule - 1;
}

// A batch of `batch` frames linked through FreeFrame::next.
struct GlobalPool {
    std::mutex mu;
    std::array<std::vector<FreeFrame*>, class_count> batches;
};
GlobalPool& global() {
    static GlobalPool* pool = new GlobalPool();  // never destroyed: threads may free at exit
    return *pool;
}

struct LocalCache {
    std::array<FreeFrame*, class_count> head{};
    std::array<std::size_t, class_count> count{};

    ~LocalCache() {
        // Hand what this thread cached back to the pool in whole batches; free the rest.
        for (std::size_t c = 0; c < class_count; ++c) {
            while (count[c] >= batch) give_batch(c);
            while (FreeFrame* f = head[c]) {
                head[c] = f->next;
                std::free(f);
            }
            count[c] = 0;
        }
    }

    void give_batch(std::size_t c) {
        FreeFrame* first = head[c];
        FreeFrame* last = first;
        for (std::size_t i = 1; i < batch; ++i) last = last->next;
        head[c] = last->next;
        last->next = nullptr;
        count[c] -= batch;
        GlobalPool& g = global();
        std::lock_guard lock(g.mu);
        g.batches[c].push_back(first);
    }

    bool take_batch(std::size_t c) {
        GlobalPool& g = global();
        FreeFrame* first = nullptr;
        {
            std::lock_guard lock(g.mu);
            if (g.batches[c].empty()) return false;
            first = g.batches[c].back();
            g.batches[c].pop_back();
        }
        head[c] = first;
        count[c] = batch;
        return true;
    }
};

thread_local LocalCache t_cache;

}  // namespace

void* allocate(std::size_t size) {
    std::size_t c = class_of(size);
    if (c >= class_count) {
        if (void* p = std::malloc(size)) return p;
        throw std::bad_alloc();
    }
    LocalCache& cache = t_cache;
    if (!cache.head[c] && !cache.take_batch(c)) {
        if (void* p = std::malloc((c + 1) * granule)) return p;
        throw std::bad_alloc();
    }
    FreeFrame* f = cache.head[c];
    cache.head[c] = f->next;
    --cache.count[c];
    return f;
}

void deallocate(void* p, std::size_t size) noexcept {
    std::size_t c = class_of(size);
    if (c >= class_count) {
        std::free(p);
        return;
    }
    LocalCache& cache = t_cache;
    auto* f = static_cast<FreeFrame*>(p);
    f->next = cache.head[c];
    cache.head[c] = f;
    if (++cache.count[c] > local_limit) cache.give_batch(c);
}

}  // namespace cs::rt::frame_allocator
