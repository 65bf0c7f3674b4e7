#include "runtime/errors.h"

namespace cs::rt {

void throw_out_of_range(std::string_view what, long long value, std::string_view allowed) {
    throw InvalidArgument(std::string(what) + ": " + std::to_string(value) +
                          " is out of range (allowed: " + std::string(allowed) + ")");
}

const char* to_string(Status s) noexcept {
    switch (s) {
        case Status::ok:
            return "ok";
        case Status::cancelled:
            return "context canceled";
        case Status::deadline_exceeded:
            return "context deadline exceeded";
        case Status::exceeds_burst:
            return "rate: n exceeds the limiter's burst";
        case Status::exceeds_size:
            return "semaphore: n exceeds the semaphore's size";
        case Status::would_exceed_deadline:
            return "rate: wait would exceed the context deadline";
    }
    return "unknown status";
}

}  // namespace cs::rt
