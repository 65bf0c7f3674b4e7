#include "runtime/mutex.h"

#include <mutex>

#include "engine.h"
#include "runtime/errors.h"

namespace cs::rt {

Mutex::Mutex(std::string name) {
    Engine* e = Engine::current();
    m_telemetry = e ? &e->telemetry() : nullptr;
    telemetry_kind = Kind::mutex;
    telemetry_name = std::move(name);
    if (m_telemetry) m_telemetry->register_object(this);
}

Mutex::~Mutex() {
    if (m_telemetry) m_telemetry->unregister_object(this);
    m_waiters.abandon_all();
}

bool Mutex::try_lock() {
    std::lock_guard lock(m_guard);
    if (m_locked.load(std::memory_order_relaxed)) return false;
    m_locked.store(true, std::memory_order_relaxed);
    return true;
}

void Mutex::unlock() {
    WaitNode* next = nullptr;
    {
        std::lock_guard lock(m_guard);
        if (!m_locked.load(std::memory_order_relaxed)) {
            throw UsageError("unlock of unlocked mutex" +
                             (telemetry_name.empty() ? "" : " '" + telemetry_name + "'"));
        }
        next = m_waiters.pop_claimed();
        if (!next) m_locked.store(false, std::memory_order_relaxed);  // else: ownership passes on
    }
    if (next) wake(*next->parker, telemetry_id, &m_blocked);
}

}  // namespace cs::rt
