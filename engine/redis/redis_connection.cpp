#include "redis/redis_connection.h"

#include <hiredis.h>
#include <poll.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include "redis/redis_error.h"
#include "runtime/errors.h"

namespace cs::redis {

namespace {

timeval to_timeval(rt::Duration d) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    return timeval{time_t(us / 1'000'000), suseconds_t(us % 1'000'000)};
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// What a failed hiredis context says, as a kind: hiredis reports getaddrinfo's failures as
// REDIS_ERR_OTHER with gai_strerror's text, and socket failures as REDIS_ERR_IO with strerror's.
RedisErrorKind kind_of_context_error(int err, std::string_view text) {
    switch (err) {
        case REDIS_ERR_PROTOCOL:
            return RedisErrorKind::protocol;
        case REDIS_ERR_EOF:
            return RedisErrorKind::io;
        default:
            break;
    }
    if (contains(text, "refused")) return RedisErrorKind::connection_refused;
    if (contains(text, "timed out") || contains(text, "temporarily unavailable"))
        return RedisErrorKind::timeout;
    if (contains(text, "not known") || contains(text, "name resolution") ||
        contains(text, "No address") || contains(text, "servname"))
        return RedisErrorKind::unknown_host;
    return RedisErrorKind::io;
}

std::string advice(RedisErrorKind kind) {
    switch (kind) {
        case RedisErrorKind::connection_refused:
            return " (is redis-server running there? check the host and port)";
        case RedisErrorKind::unknown_host:
            return " (check the host name)";
        case RedisErrorKind::timeout:
            return " (the server is slow or unreachable; a longer timeout may help)";
        case RedisErrorKind::auth_failed:
            return " (check the user and password: the URL, the password file or REDISCLI_AUTH)";
        default:
            return "";
    }
}

Reply converted(const redisReply* r) {
    Reply out;
    switch (r->type) {
        case REDIS_REPLY_STRING:
            out.type = Reply::Type::string;
            out.str.assign(r->str, r->len);
            break;
        case REDIS_REPLY_STATUS:
            out.type = Reply::Type::status;
            out.str.assign(r->str, r->len);
            break;
        case REDIS_REPLY_ERROR:
            out.type = Reply::Type::error;
            out.str.assign(r->str, r->len);
            break;
        case REDIS_REPLY_INTEGER:
            out.type = Reply::Type::integer;
            out.integer = r->integer;
            break;
        case REDIS_REPLY_ARRAY:
            out.type = Reply::Type::array;
            out.elements.reserve(r->elements);
            for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(converted(r->element[i]));
            break;
        default:
            out.type = Reply::Type::nil;
            break;
    }
    return out;
}

bool is_auth_error(std::string_view text) {
    return text.substr(0, 6) == "NOAUTH" || text.substr(0, 9) == "WRONGPASS" ||
           contains(text, "invalid password");
}

}  // namespace

struct RedisConnection::Impl {
    RedisUrl url;
    redisContext* context = nullptr;
    bool broken = false;

    ~Impl() {
        if (context) redisFree(context);
    }

    [[noreturn]] void fail_with(RedisErrorKind kind, const std::string& what) const {
        throw RedisError(kind, "Redis at " + url.text() + ": " + what + advice(kind));
    }
    // The context failed: the connection is done for.
    [[noreturn]] void fail_from_context() {
        broken = true;
        std::string text = context->errstr;
        RedisErrorKind kind = kind_of_context_error(context->err, text);
        fail_with(kind, std::string(to_string(kind)) + ": " + text);
    }

    // Reused between calls: a pipeline appends many commands, and each would otherwise
    // allocate its two argument arrays.
    std::vector<const char*> argv;
    std::vector<size_t> lengths;

    void append(const Command& args) {
        argv.clear();
        lengths.clear();
        for (const std::string& a : args) {
            argv.push_back(a.data());
            lengths.push_back(a.size());
        }
        if (redisAppendCommandArgv(context, int(argv.size()), argv.data(), lengths.data()) !=
            REDIS_OK)
            fail_from_context();
    }
    // Writes what append() buffered.
    void flush() {
        int done = 0;
        while (!done)
            if (redisBufferWrite(context, &done) != REDIS_OK) fail_from_context();
    }
    Reply read_reply() {
        void* raw = nullptr;
        if (redisGetReply(context, &raw) != REDIS_OK || raw == nullptr) fail_from_context();
        Reply out = converted(static_cast<redisReply*>(raw));
        freeReplyObject(raw);
        return out;
    }
    // A reply already read from the socket and parsed, if a whole one is there.
    std::optional<Reply> buffered_reply() {
        void* raw = nullptr;
        if (redisGetReplyFromReader(context, &raw) != REDIS_OK) fail_from_context();
        if (raw == nullptr) return std::nullopt;
        Reply out = converted(static_cast<redisReply*>(raw));
        freeReplyObject(raw);
        return out;
    }
    Reply checked(Reply r) const {
        if (!r.is_error()) return r;
        RedisErrorKind kind =
            is_auth_error(r.str) ? RedisErrorKind::auth_failed : RedisErrorKind::reply_error;
        fail_with(kind, r.str);
    }
    void require_usable() const {
        if (broken) fail_with(RedisErrorKind::io, "the connection is broken; open a new one");
    }
    Reply call(const Command& args) {
        require_usable();
        append(args);
        return checked(read_reply());
    }
};

RedisConnection::RedisConnection(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
RedisConnection::~RedisConnection() = default;

std::unique_ptr<RedisConnection> RedisConnection::open(const RedisUrl& url, ConnectOptions options) {
    if (options.connect_timeout <= rt::Duration(0))
        rt::throw_out_of_range("Redis connect timeout (ns)", options.connect_timeout.count(), "> 0");
    if (options.command_timeout <= rt::Duration(0))
        rt::throw_out_of_range("Redis command timeout (ns)", options.command_timeout.count(), "> 0");
    auto impl = std::make_unique<Impl>();
    impl->url = url;
    impl->context = redisConnectWithTimeout(url.host.c_str(), url.port,
                                            to_timeval(options.connect_timeout));
    if (impl->context == nullptr) impl->fail_with(RedisErrorKind::io, "out of memory");
    if (impl->context->err) impl->fail_from_context();
    if (redisSetTimeout(impl->context, to_timeval(options.command_timeout)) != REDIS_OK)
        impl->fail_from_context();
    if (!url.password.empty()) {
        if (url.user.empty())
            impl->call({"AUTH", url.password.reveal()});
        else
            impl->call({"AUTH", url.user, url.password.reveal()});
    }
    if (url.db != 0) impl->call({"SELECT", std::to_string(url.db)});
    return std::unique_ptr<RedisConnection>(new RedisConnection(std::move(impl)));
}

Reply RedisConnection::command(const Command& args) {
    return m->call(args);
}

std::vector<Reply> RedisConnection::pipeline(const std::vector<Command>& commands) {
    m->require_usable();
    for (const Command& c : commands) m->append(c);
    std::vector<Reply> replies;
    replies.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) replies.push_back(m->read_reply());
    return replies;
}

void RedisConnection::send(const Command& args) {
    m->require_usable();
    m->append(args);
    m->flush();
}

void RedisConnection::send(const std::vector<Command>& commands) {
    m->require_usable();
    for (const Command& c : commands) m->append(c);
    m->flush();
}

int RedisConnection::socket() const noexcept {
    return m->context->fd;
}

std::vector<Reply> RedisConnection::read_ready() {
    m->require_usable();
    if (redisBufferRead(m->context) != REDIS_OK) m->fail_from_context();
    std::vector<Reply> replies;
    while (auto r = m->buffered_reply()) replies.push_back(std::move(*r));
    return replies;
}

std::vector<Reply> RedisConnection::receive(std::chrono::milliseconds wait, int wake_fd) {
    m->require_usable();
    std::vector<Reply> replies;
    while (auto r = m->buffered_reply()) replies.push_back(std::move(*r));
    if (!replies.empty()) return replies;
    pollfd fds[2] = {{m->context->fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    int ready = ::poll(fds, wake_fd >= 0 ? 2 : 1, int(wait.count()));
    if (ready < 0 && errno != EINTR)
        m->fail_with(RedisErrorKind::io, std::string("poll: ") + std::strerror(errno));
    if (ready <= 0 || !(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) return replies;
    return read_ready();
}

bool RedisConnection::broken() const noexcept {
    return m->broken;
}

const RedisUrl& RedisConnection::url() const noexcept {
    return m->url;
}

}  // namespace cs::redis
