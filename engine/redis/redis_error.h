#pragma once
// RedisError: every way a Redis call can fail, as a kind a caller can act on (retry, ask for a
// password, report a wrong type) and a message fit to show a user. Messages never contain a
// password: URLs in them are redacted.
#include <stdexcept>
#include <string>

namespace cs::redis {

enum class RedisErrorKind {
    bad_url,             // the URL does not parse; the message says which part and the form
    bad_credentials,     // the password file cannot be read
    unknown_host,        // the host name does not resolve
    connection_refused,  // nothing listens there
    timeout,             // connecting or waiting for a reply took longer than allowed
    auth_failed,         // NOAUTH or WRONGPASS: the server wants other credentials
    protocol,            // the bytes that came back are not RESP
    reply_error,         // the server answered with an error (WRONGTYPE, ERR ...); its text
    io,                  // the connection broke (reset, closed by the server)
    down,                // the client knows Redis is down and did not try (fails fast)
};
const char* to_string(RedisErrorKind kind) noexcept;

class RedisError : public std::runtime_error {
  public:
    RedisError(RedisErrorKind kind, const std::string& message)
        : std::runtime_error(message), m_kind(kind) {}
    RedisErrorKind kind() const noexcept { return m_kind; }
    // Whether the connection is still usable after this error (a reply error leaves it fine).
    bool connection_usable() const noexcept {
        return m_kind == RedisErrorKind::reply_error || m_kind == RedisErrorKind::auth_failed;
    }

  private:
    RedisErrorKind m_kind;
};

}  // namespace cs::redis
