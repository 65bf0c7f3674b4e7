#include "cache/single_flight.h"

#include "runtime/channel.h"

namespace cs::cache {

// One load in progress. Followers park on `done` — a channel named after the key, so a view
// shows the crowd of tasks waiting on the one load.
struct SingleFlight::Flight {
    explicit Flight(const std::string& key) : done(0, "load " + key) {}
    rt::Chan<int> done;  // closed when the load ends
    Value value;
    std::exception_ptr error;
};

rt::Task<SingleFlight::Outcome> SingleFlight::run(std::string key, Load load) {
    std::shared_ptr<Flight> flight;
    bool leader = false;
    {
        std::lock_guard lock(m_mu);
        auto& slot = m_flights[key];
        if (!slot) {
            slot = std::make_shared<Flight>(key);
            leader = true;
        }
        flight = slot;
    }
    if (!leader) {
        co_await flight->done.recv();  // returns when closed; the close orders the writes below
        if (flight->error) std::rethrow_exception(flight->error);
        co_return Outcome{flight->value, false};
    }
    try {
        flight->value = co_await load();
    } catch (...) {
        flight->error = std::current_exception();
    }
    {
        std::lock_guard lock(m_mu);
        m_flights.erase(key);
    }
    flight->done.close();
    if (flight->error) std::rethrow_exception(flight->error);
    co_return Outcome{flight->value, true};
}

size_t SingleFlight::in_flight() const {
    std::lock_guard lock(m_mu);
    return m_flights.size();
}

}  // namespace cs::cache
