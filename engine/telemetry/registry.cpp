#include "telemetry/registry.h"

#include <mutex>

#include "runtime/task_control.h"

namespace cs::telemetry {

std::string describe(const Observed& o) {
    const char* kind = "object";
    switch (o.telemetry_kind) {
        case Observed::Kind::channel:
            kind = "chan";
            break;
        case Observed::Kind::semaphore:
            kind = "semaphore";
            break;
        case Observed::Kind::limiter:
            kind = "limiter";
            break;
        case Observed::Kind::mutex:
            kind = "mutex";
            break;
        case Observed::Kind::wait_group:
            kind = "wait group";
            break;
        case Observed::Kind::cache:
            kind = "cache";
            break;
        case Observed::Kind::other:
            break;
    }
    std::string name =
        o.telemetry_name.empty() ? "#" + std::to_string(o.telemetry_id) : o.telemetry_name;
    return std::string(kind) + " " + name;
}

void Registry::add_task(rt::TaskControl* g) {
    TaskShard& s = m_tasks[g->id % task_shards];
    std::lock_guard lock(s.mu);
    g->reg_prev = nullptr;
    g->reg_next = s.head;
    if (s.head) s.head->reg_prev = g;
    s.head = g;
    ++s.count;
}

void Registry::remove_task(rt::TaskControl* g) {
    TaskShard& s = m_tasks[g->id % task_shards];
    std::lock_guard lock(s.mu);
    if (g->reg_prev)
        g->reg_prev->reg_next = g->reg_next;
    else
        s.head = g->reg_next;
    if (g->reg_next) g->reg_next->reg_prev = g->reg_prev;
    g->reg_prev = g->reg_next = nullptr;
    --s.count;
}

void Registry::for_each_task(const std::function<void(const rt::TaskControl&)>& fn) const {
    for (const TaskShard& s : m_tasks) {
        std::lock_guard lock(s.mu);
        for (rt::TaskControl* g = s.head; g; g = g->reg_next) fn(*g);
    }
}

size_t Registry::task_count() const {
    size_t n = 0;
    for (const TaskShard& s : m_tasks) {
        std::lock_guard lock(s.mu);
        n += s.count;
    }
    return n;
}

void Registry::add(Observed* o) {
    ObjectList& l = m_objects[static_cast<size_t>(o->telemetry_kind)];
    std::lock_guard lock(l.mu);
    o->reg_prev = nullptr;
    o->reg_next = l.head;
    if (l.head) l.head->reg_prev = o;
    l.head = o;
}

void Registry::remove(Observed* o) {
    ObjectList& l = m_objects[static_cast<size_t>(o->telemetry_kind)];
    std::lock_guard lock(l.mu);
    if (o->reg_prev)
        o->reg_prev->reg_next = o->reg_next;
    else
        l.head = o->reg_next;
    if (o->reg_next) o->reg_next->reg_prev = o->reg_prev;
    o->reg_prev = o->reg_next = nullptr;
}

void Registry::for_each(Observed::Kind kind, const std::function<void(const Observed&)>& fn) const {
    const ObjectList& l = m_objects[static_cast<size_t>(kind)];
    std::lock_guard lock(l.mu);
    for (Observed* o = l.head; o; o = o->reg_next) fn(*o);
}

std::string Registry::describe_object(uint64_t id) const {
    if (id == 0) return "";
    for (const ObjectList& l : m_objects) {
        std::lock_guard lock(l.mu);
        for (Observed* o = l.head; o; o = o->reg_next) {
            if (o->telemetry_id == id) return describe(*o);
        }
    }
    return "";
}

}  // namespace cs::telemetry
