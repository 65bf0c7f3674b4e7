#pragma once
// Registry: the live objects of one engine — tasks, channels, semaphores, rate limiters — each
// with a telemetry id and a name, so snapshots can list them and reports can name them.
// Objects add themselves when created and remove themselves when destroyed. Thread-safe:
// tasks are spread over shards so that spawning on two workers rarely meets on one lock.
#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "runtime/spin_lock.h"

namespace cs::rt {
struct TaskControl;
}

namespace cs::telemetry {

// Base of every registered object other than tasks.
struct Observed {
    enum class Kind : uint8_t { channel, semaphore, limiter, mutex, wait_group, cache, other };
    uint64_t telemetry_id = 0;
    std::string telemetry_name;
    Kind telemetry_kind = Kind::other;
    Observed* reg_prev = nullptr;
    Observed* reg_next = nullptr;
};

// "chan jobs", "semaphore db-slots": how reports name an object.
std::string describe(const Observed& o);

class Registry {
  public:
    static constexpr size_t task_shards = 16;

    void add_task(rt::TaskControl* g);
    void remove_task(rt::TaskControl* g);
    // Calls fn for every live task under its shard's lock: fn must be quick and must not block.
    void for_each_task(const std::function<void(const rt::TaskControl&)>& fn) const;
    size_t task_count() const;

    void add(Observed* o);
    void remove(Observed* o);
    void for_each(Observed::Kind kind, const std::function<void(const Observed&)>& fn) const;

    // Name of any registered object by id ("chan jobs"), or "" if it is gone.
    std::string describe_object(uint64_t id) const;

  private:
    // A cache line each: consecutive ids land in consecutive shards, and the spawning and the
    // finishing worker are usually different threads.
    struct alignas(64) TaskShard {
        mutable rt::SpinLock mu;
        rt::TaskControl* head = nullptr;
        size_t count = 0;
    };
    struct ObjectList {
        mutable rt::SpinLock mu;
        Observed* head = nullptr;
    };
    static constexpr size_t kind_count = 7;

    std::array<TaskShard, task_shards> m_tasks;
    std::array<ObjectList, kind_count> m_objects;
};

}  // namespace cs::telemetry
