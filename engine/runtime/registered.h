#pragma once
// Registered: the base of every runtime object telemetry lists (channels, semaphores, mutexes,
// rate limiters), tied to the engine current at construction (Engine::current()); created
// outside any engine, it is simply not listed. An object must not outlive its engine.
//
// Snapshots read registered objects from other threads, so an object is listed only while it is
// whole: the most-derived class calls publish() as the last step of its constructor and
// withdraw() as the first step of its destructor.
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

    void publish();
    void withdraw() noexcept;

    telemetry::Telemetry* m_telemetry;  // null when created outside any engine

  private:
    bool m_published = false;
};

}  // namespace cs::rt
