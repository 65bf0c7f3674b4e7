#include "runtime/mutex.h"

#include <mutex>

#include "engine.h"
#include "runtime/errors.h"

namespace cs::rt {

Mutex::Mutex(std::string name) : Registered(Kind::mutex, std::move(name)) {
    publish();
}

Mutex::~Mutex() {
    withdraw();
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
