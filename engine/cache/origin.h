#pragma once
// Origin: the system of record behind a cache — a database the patterns read from on a miss and
// write to (write-through, write-behind). Every call is a task that may park (a real database
// runs on the blocking pool), and a failure throws OriginError, so the patterns can retry, serve
// stale data or fail the write as a whole.
//
//   std::optional<std::string> v = co_await origin.load("user:1");
//   co_await origin.store("user:1", "Ada");
#include <stdexcept>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/task.h"

namespace cs::cache {

// The origin could not do what was asked (an outage, an injected error, a database error); the
// message says which origin and why.
class OriginError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

using KeyValue = std::pair<std::string, std::string>;

class Origin {
  public:
    virtual ~Origin() = default;

    // The value stored under key; nullopt if there is none.
    virtual rt::Task<std::optional<std::string>> load(std::string key) = 0;
    virtual rt::Task<void> store(std::string key, std::string value) = 0;
    // All of `writes` in one transaction: either every one lands or none does.
    virtual rt::Task<void> store_batch(std::vector<KeyValue> writes) = 0;
    // Returns whether the key existed.
    virtual rt::Task<bool> erase(std::string key) = 0;
};

}  // namespace cs::cache
