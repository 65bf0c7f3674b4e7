#include "runtime/channel_core.h"

#include <mutex>

#include "engine.h"

namespace cs::rt {

ChanCore::ChanCore(size_t capacity, std::string name) : m_cap(capacity) {
    Engine* e = Engine::current();
    m_telemetry = e ? &e->telemetry() : nullptr;
    telemetry_kind = Kind::channel;
    telemetry_name = std::move(name);
    if (m_telemetry) m_telemetry->register_object(this);
}

ChanCore::~ChanCore() {
    if (m_telemetry) m_telemetry->unregister_object(this);
    sendq.abandon_all();
    recvq.abandon_all();
}

size_t ChanCore::waiting_senders() const {
    std::lock_guard lock(const_cast<SpinLock&>(mu));
    return sendq.size();
}

size_t ChanCore::waiting_receivers() const {
    std::lock_guard lock(const_cast<SpinLock&>(mu));
    return recvq.size();
}

void ChanCore::note_send() noexcept {
    uint64_t n = m_counters.sends.load(std::memory_order_relaxed) + 1;
    m_counters.sends.store(n, std::memory_order_relaxed);
    if (m_telemetry && m_telemetry->tracing()) {
        m_telemetry->emit(telemetry::EventKind::chan_send, current_task_id(), telemetry_id, WaitReason::none,
                          static_cast<uint32_t>(n));
    }
}

void ChanCore::note_recv() noexcept {
    uint64_t n = m_counters.recvs.load(std::memory_order_relaxed) + 1;
    m_counters.recvs.store(n, std::memory_order_relaxed);
    if (m_telemetry && m_telemetry->tracing()) {
        m_telemetry->emit(telemetry::EventKind::chan_recv, current_task_id(), telemetry_id, WaitReason::none,
                          static_cast<uint32_t>(n));
    }
}

void ChanCore::note_close() noexcept {
    if (m_telemetry && m_telemetry->enabled()) {
        m_telemetry->emit(telemetry::EventKind::chan_close, current_task_id(), telemetry_id);
    }
}

}  // namespace cs::rt
