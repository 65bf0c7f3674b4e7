#pragma once
// SingleFlight: concurrent loads of one key become one (Go's golang.org/x/sync/singleflight).
// The first caller for a key runs the load; callers arriving while it runs park until it ends
// and share its result or its exception. Once it ends the key is free again, so a later miss
// loads afresh. Thread-safe; callers are tasks.
//
//   auto [value, led] = co_await flights.run(key, [&]() { return origin.load(key); });
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "runtime/task.h"

namespace cs::cache {

class SingleFlight {
  public:
    using Value = std::optional<std::string>;
    using Load = std::function<rt::Task<Value>()>;

    struct Outcome {
        Value value;
        bool led;  // this caller ran the load; false: it shared another caller's
    };

    // Rethrows the load's exception in every caller that shared it.
    rt::Task<Outcome> run(std::string key, Load load);

    size_t in_flight() const;

  private:
    struct Flight;
    mutable std::mutex m_mu;  // held only to look up or add a flight, never across a park
    std::unordered_map<std::string, std::shared_ptr<Flight>> m_flights;
};

}  // namespace cs::cache
