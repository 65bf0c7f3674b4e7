#include "runtime/channel_core.h"

#include <mutex>

#include "engine.h"

namespace cs::rt {

ChanCore::ChanCore(size_t capacity, std::string name, bool internal)
    : Registered(Kind::channel, std::move(name)),
      m_cap(static_cast<uint32_t>(capacity)),
      m_internal(internal) {
    m_tracing = m_telemetry && m_telemetry->tracing();
}

ChanCore::~ChanCore() {
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
