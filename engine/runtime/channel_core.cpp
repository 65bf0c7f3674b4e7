#include "runtime/channel_core.h"

#include <mutex>

#include "engine.h"

namespace cs::rt {

ChanCore::ChanCore(size_t capacity, std::string name) : m_cap(static_cast<uint32_t>(capacity)) {
    Engine* e = Engine::current();
    m_telemetry = e ? &e->telemetry() : nullptr;
    m_tracing = m_telemetry && m_telemetry->tracing();
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

void ChanCore::trace_op(telemetry::EventKind kind, uint64_t seq) noexcept {
    m_telemetry->record(kind, current_task_id(), telemetry_id, WaitReason::none,
                        static_cast<uint32_t>(seq));
}

void ChanCore::note_close() noexcept {
    if (m_telemetry && m_telemetry->enabled()) {
        m_telemetry->record(telemetry::EventKind::chan_close, current_task_id(), telemetry_id);
    }
}

}  // namespace cs::rt
