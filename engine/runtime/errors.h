#pragma once
// The runtime's error vocabulary. Misuse that Go would answer with a panic (send on a closed
// channel, closing twice, a negative size) throws one of these exceptions; outcomes that Go
// returns as an `error` (a cancelled context, a deadline) are a Status value.
#include <stdexcept>
#include <string>
#include <string_view>

namespace cs::rt {

// Programming errors on a channel: send on closed, close of closed, close of nil.
class ChannelError : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

// A size, count or rate outside its allowed range. The message names the parameter, the value
// and the range, e.g. "channel capacity: -1 is out of range (allowed: 0 .. 2^31-1)".
class InvalidArgument : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// Releasing more than is held, unlocking an unlocked mutex, a negative WaitGroup counter.
class UsageError : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

[[noreturn]] void throw_out_of_range(std::string_view what, long long value,
                                     std::string_view allowed);

// Outcome of an operation that can be cut short, in Go's terms.
enum class Status {
    ok,
    cancelled,              // context.Canceled
    deadline_exceeded,      // context.DeadlineExceeded
    exceeds_burst,          // rate limiter: n > burst, can never be satisfied
    exceeds_size,           // semaphore: n > size, can never be satisfied
    would_exceed_deadline,  // rate limiter: the wait would outlast the context's deadline
};

const char* to_string(Status s) noexcept;

}  // namespace cs::rt
