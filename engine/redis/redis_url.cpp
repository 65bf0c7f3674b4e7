#include "redis/redis_url.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>

#include "redis/redis_error.h"

namespace cs::redis {

namespace {

constexpr std::string_view scheme = "redis://";
constexpr std::string_view form = "redis://[[user]:password@]host[:port][/db]";

// The input as an error may quote it: whatever stands for a password replaced by "***".
std::string redacted(std::string_view text) {
    auto secret = password_span(text);
    if (!secret) return std::string(text);
    return std::string(text.substr(0, secret->first)) + "***" + std::string(text.substr(secret->second));
}

[[noreturn]] void fail(std::string_view text, const std::string& what) {
    throw RedisError(RedisErrorKind::bad_url, "redis URL \"" + redacted(text) + "\": " + what +
                                                  " (the form is " + std::string(form) + ")");
}

std::string percent_decoded(std::string_view in, std::string_view text, const char* part) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        int value = 0;
        if (i + 2 >= in.size())
            fail(text, std::string("a % in the ") + part + " must be followed by two hex digits");
        auto [end, ec] = std::from_chars(in.data() + i + 1, in.data() + i + 3, value, 16);
        if (ec != std::errc() || end != in.data() + i + 3)
            fail(text, std::string("a % in the ") + part + " must be followed by two hex digits");
        out += char(value);
        i += 2;
    }
    return out;
}

int number(std::string_view digits, std::string_view text, const char* part, long long low,
           long long high) {
    long long value = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec == std::errc::invalid_argument || end != digits.data() + digits.size())
        fail(text, std::string(part) + " \"" + std::string(digits) + "\" is not a number");
    if (ec == std::errc::result_out_of_range || value < low || value > high)
        fail(text, std::string(part) + " " + std::string(digits) + " is out of range (allowed: " +
                       std::to_string(low) + " .. " + std::to_string(high) + ")");
    return int(value);
}

}  // namespace

const char* to_string(RedisErrorKind kind) noexcept {
    switch (kind) {
        case RedisErrorKind::bad_url: return "bad URL";
        case RedisErrorKind::bad_credentials: return "bad credentials";
        case RedisErrorKind::unknown_host: return "unknown host";
        case RedisErrorKind::connection_refused: return "connection refused";
        case RedisErrorKind::timeout: return "timeout";
        case RedisErrorKind::auth_failed: return "authentication failed";
        case RedisErrorKind::protocol: return "protocol error";
        case RedisErrorKind::reply_error: return "error reply";
        case RedisErrorKind::io: return "connection lost";
        case RedisErrorKind::down: return "Redis is down";
    }
    return "?";
}

std::string RedisUrl::text() const {
    std::string out(scheme);
    if (!user.empty() || !password.empty()) {
        out += user;
        if (!password.empty()) out += ":***";
        out += '@';
    }
    out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
    out += ":" + std::to_string(port);
    if (db != 0) out += "/" + std::to_string(db);
    return out;
}

std::optional<std::pair<size_t, size_t>> password_span(std::string_view text) {
    size_t start = text.find("://");
    start = start == std::string_view::npos ? 0 : start + 3;
    size_t at = text.rfind('@');
    if (at == std::string_view::npos || at < start) return std::nullopt;
    size_t colon = text.find(':', start);
    size_t secret_from = colon != std::string_view::npos && colon < at ? colon + 1 : start;
    return std::pair{secret_from, at};
}

RedisUrl parse_redis_url(std::string_view text) {
    if (text.substr(0, scheme.size()) != scheme) fail(text, "it must start with redis://");
    std::string_view rest = text.substr(scheme.size());
    size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);

    RedisUrl url;
    if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        // As redis-cli reads it: "user:password", ":password", or a bare password.
        if (size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
            url.user = percent_decoded(userinfo.substr(0, colon), text, "user");
            url.password = Secret(percent_decoded(userinfo.substr(colon + 1), text, "password"));
        } else {
            url.password = Secret(percent_decoded(userinfo, text, "password"));
        }
    }

    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
        size_t close = authority.find(']');
        if (close == std::string_view::npos) fail(text, "an IPv6 host needs its closing ]");
        url.host = std::string(authority.substr(1, close - 1));
        std::string_view after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':') fail(text, "expected :port after the ]");
        if (!after.empty()) port = after.substr(1);
        if (!after.empty() && port.empty()) fail(text, "the port after : is missing");
    } else {
        size_t colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
            if (port.empty()) fail(text, "the port after : is missing");
        }
    }
    if (url.host.empty()) fail(text, "the host is missing");
    if (!port.empty()) url.port = number(port, text, "port", 1, 65535);
    if (!path.empty()) url.db = number(path, text, "database", 0, 1'000'000);
    return url;
}

RedisUrl with_credentials(RedisUrl url, const CredentialSources& sources) {
    if (!sources.password_file.empty()) {
        std::ifstream in(sources.password_file);
        std::string line;
        if (!in || !std::getline(in, line))
            throw RedisError(RedisErrorKind::bad_credentials,
                             "password file \"" + sources.password_file +
                                 "\" cannot be read (it must exist, be readable and hold the "
                                 "password on its first line)");
        if (!line.empty() && line.back() == '\r') line.pop_back();
        url.password = Secret(std::move(line));
        return url;
    }
    if (url.password.empty() && sources.use_environment)
        if (const char* env = std::getenv("REDISCLI_AUTH"); env && *env) url.password = Secret(env);
    return url;
}

}  // namespace cs::redis
