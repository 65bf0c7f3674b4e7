#include "runtime/registered.h"

#include "engine.h"

namespace cs::rt {

Registered::Registered(Kind kind, std::string name) {
    Engine* e = Engine::current();
    m_telemetry = e ? &e->telemetry() : nullptr;
    telemetry_kind = kind;
    telemetry_name = std::move(name);
    if (m_telemetry) m_telemetry->register_object(this);
}

Registered::~Registered() {
    if (m_telemetry) m_telemetry->unregister_object(this);
}

}  // namespace cs::rt
