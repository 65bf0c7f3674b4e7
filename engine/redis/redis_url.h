#pragma once
// RedisUrl: where a Redis server is and how to log in, from the URL form redis-cli accepts —
// redis://[[user]:password@]host[:port][/db] — with the password also taken from a file or from
// the REDISCLI_AUTH environment variable, as redis-cli users expect. The password is a Secret:
// text() and every error message show it as "***".
//
//   RedisUrl url = parse_redis_url("redis://alice:s3cret@127.0.0.1:6380/2");
//   url = with_credentials(url, {.password_file = "/run/secrets/redis"});
//   show(url.text());  // "redis://alice:***@127.0.0.1:6380/2"
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "redis/secret.h"

namespace cs::redis {

struct RedisUrl {
    std::string host = "127.0.0.1";
    int port = 6379;   // 1 .. 65535
    std::string user;  // empty: the default user (password-only AUTH)
    Secret password;   // empty: no AUTH
    int db = 0;        // SELECT after connecting; >= 0

    // The URL as it can be shown: the password, if any, as "***".
    std::string text() const;
};

// Throws RedisError(bad_url) naming the part that is wrong and the expected form; the message
// shows the input with its password redacted.
RedisUrl parse_redis_url(std::string_view text);

// Where a text that may be a redis URL holds a password: the [first, last) bytes between the
// "://" or ":" and the "@", or nothing. For redacting it, in a copy or in place (a process's own
// arguments, which ps shows).
std::optional<std::pair<size_t, size_t>> password_span(std::string_view text);

struct CredentialSources {
    std::string password_file{};  // a file whose first line is the password; empty: none
    bool use_environment = true;  // REDISCLI_AUTH, when the URL and file give no password
};
// The URL with its password completed from the sources: a password file wins over the URL
// (it is the explicit choice), the URL over the environment. Throws RedisError(bad_credentials)
// if the file cannot be read (naming the file, never its content).
RedisUrl with_credentials(RedisUrl url, const CredentialSources& sources);

}  // namespace cs::redis
