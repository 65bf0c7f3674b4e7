#include "runtime/registered.h"

#include "engine.h"

namespace cs::rt {

Registered::Registered(Kind kind, std::string name) {
    Engine* e = Engine::current();
    m_telemetry = e ? &e->telemetry() : nullptr;
    telemetry_kind = kind;
    telemetry_name = std::move(name);
}

Registered::~Registered() {
    withdraw();
}

void Registered::publish() {
    if (!m_telemetry || m_published) return;
    m_telemetry->register_object(this);
    m_published = true;
}

void Registered::withdraw() noexcept {
    if (!m_published) return;
    m_telemetry->unregister_object(this);
    m_published = false;
}

}  // namespace cs::rt
