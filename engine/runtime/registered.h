#pragma once
// Registered: the base of every runtime object telemetry lists (channels, semaphores, mutexes,
// rate limiters). It joins the registry of the engine current at construction (Engine::current())
// and leaves it at destruction. Created outside any engine, it is simply not listed. An object
// must not outlive its engine.
#include <string>

#include "telemetry/registry.h"

namespace cs::telemetry {
class Telemetry;
}

namespace cs::rt {

class Registered : public telemetry::Observed {
  public:
    Registered(const Registered&) = delete;
    Registered& operator=(const Registered&) = delete;

  protected:
    Registered(Kind kind, std::string name);
    ~Registered();

    telemetry::Telemetry* m_telemetry;  // null when created outside any engine
};

}  // namespace cs::rt
