// Redis URLs as redis-cli reads them, passwords from a file or REDISCLI_AUTH, and errors that
// name the wrong part and the allowed range without ever showing the password.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "redis/redis_error.h"
#include "redis/redis_url.h"

namespace cs::test {
namespace {

using redis::parse_redis_url;
using redis::RedisError;
using redis::RedisErrorKind;
using redis::RedisUrl;

std::string error_of(std::string_view text, RedisErrorKind expected = RedisErrorKind::bad_url) {
    try {
        parse_redis_url(text);
    } catch (const RedisError& e) {
        EXPECT_EQ(e.kind(), expected) << text;
        return e.what();
    }
    ADD_FAILURE() << "no error for " << text;
    return "";
}

TEST(RedisUrl, ReadsUserPasswordHostPortAndDatabase) {
    RedisUrl u = parse_redis_url("redis://alice:hunter2@cache.local:6380/3");
    EXPECT_EQ(u.user, "alice");
    EXPECT_EQ(u.password.reveal(), "hunter2");
    EXPECT_EQ(u.host, "cache.local");
    EXPECT_EQ(u.port, 6380);
    EXPECT_EQ(u.db, 3);
    EXPECT_EQ(u.text(), "redis://alice:***@cache.local:6380/3");
}

TEST(RedisUrl, TakesAPasswordAloneAsRedisCliDoesAndDefaultsThePortAndDatabase) {
    RedisUrl colon = parse_redis_url("redis://:hunter2@127.0.0.1:7000");
    EXPECT_EQ(colon.user, "");
    EXPECT_EQ(colon.password.reveal(), "hunter2");
    RedisUrl bare = parse_redis_url("redis://hunter2@127.0.0.1");
    EXPECT_EQ(bare.user, "");
    EXPECT_EQ(bare.password.reveal(), "hunter2");
    EXPECT_EQ(bare.port, 6379);
    EXPECT_EQ(bare.db, 0);
    EXPECT_EQ(bare.text(), "redis://:***@127.0.0.1:6379");
    RedisUrl plain = parse_redis_url("redis://localhost/");
    EXPECT_TRUE(plain.password.empty());
    EXPECT_EQ(plain.text(), "redis://localhost:6379");
}

TEST(RedisUrl, ReadsIpv6HostsAndPercentEncodedCredentials) {
    RedisUrl u = parse_redis_url("redis://bob:p%40ss%3Aword@[::1]:6390/1");
    EXPECT_EQ(u.host, "::1");
    EXPECT_EQ(u.port, 6390);
    EXPECT_EQ(u.user, "bob");
    EXPECT_EQ(u.password.reveal(), "p@ss:word");
    EXPECT_EQ(u.text(), "redis://bob:***@[::1]:6390/1");
}

TEST(RedisUrl, NamesTheWrongPartAndTheRangeAndNeverShowsThePassword) {
    EXPECT_EQ(error_of("http://h:1"),
              "redis URL \"http://h:1\": it must start with redis:// (the form is "
              "redis://[[user]:password@]host[:port][/db])");
    std::string port = error_of("redis://alice:hunter2@h:99999");
    EXPECT_NE(port.find("port 99999 is out of range (allowed: 1 .. 65535)"), std::string::npos)
        << port;
    EXPECT_NE(port.find("redis://alice:***@h:99999"), std::string::npos) << port;
    for (const char* bad : {"redis://alice:hunter2@h:port", "redis://hunter2@h:0",
                            "redis://:hunter2@h:1/x", "redis://:hunter2@:6379",
                            "redis://:hunter2@h:", "redis://:hunter%2@h", "redis://:hunter2@[::1"}) {
        std::string message = error_of(bad);
        EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
        EXPECT_NE(message.find("(the form is"), std::string::npos) << message;
    }
    EXPECT_NE(error_of("redis://h:6379/x").find("database \"x\" is not a number"),
              std::string::npos);
    EXPECT_NE(error_of("redis://:6379").find("the host is missing"), std::string::npos);
}

struct EnvironmentPassword {
    explicit EnvironmentPassword(const char* value) { setenv("REDISCLI_AUTH", value, 1); }
    ~EnvironmentPassword() { unsetenv("REDISCLI_AUTH"); }
};

TEST(RedisUrl, APasswordFileWinsOverTheUrlAndTheUrlOverTheEnvironment) {
    EnvironmentPassword env("from-env");
    auto file = std::filesystem::temp_directory_path() / "chanscope_redis_password_test";
    std::ofstream(file) << "from-file\r\nsecond line ignored\n";

    RedisUrl none = parse_redis_url("redis://127.0.0.1");
    EXPECT_EQ(redis::with_credentials(none, {}).password.reveal(), "from-env");
    EXPECT_TRUE(redis::with_credentials(none, {.use_environment = false}).password.empty());
    RedisUrl in_url = parse_redis_url("redis://:from-url@127.0.0.1");
    EXPECT_EQ(redis::with_credentials(in_url, {}).password.reveal(), "from-url");
    EXPECT_EQ(redis::with_credentials(in_url, {.password_file = file.string()}).password.reveal(),
              "from-file");
    std::filesystem::remove(file);

    try {
        redis::with_credentials(none, {.password_file = file.string()});
        ADD_FAILURE() << "a missing password file was accepted";
    } catch (const RedisError& e) {
        EXPECT_EQ(e.kind(), RedisErrorKind::bad_credentials);
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
}

TEST(RedisUrl, APasswordsPlaceIsFoundToHideItInPlace) {
    auto hidden = [](std::string text) {
        if (auto span = redis::password_span(text))
            std::fill(text.begin() + long(span->first), text.begin() + long(span->second), '*');
        return text;
    };
    EXPECT_EQ(hidden("redis://alice:s3cret@h:1/2"), "redis://alice:******@h:1/2");
    EXPECT_EQ(hidden("redis://:s3cret@h"), "redis://:******@h");
    EXPECT_EQ(hidden("redis://s3cret@h"), "redis://******@h");  // a bare password, as redis-cli
    EXPECT_EQ(hidden("redis://h:6379"), "redis://h:6379");
    EXPECT_EQ(hidden("--url=redis://a:b@c"), "--url=redis://a:*@c");
}

}  // namespace
}  // namespace cs::test
