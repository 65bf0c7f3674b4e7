#include "redis/resp_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace cs::redis {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
  public:
    explicit Fd(int fd = -1) noexcept : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const noexcept { return fd_; }

  private:
    int fd_;
};

int ms_left(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        int n = ::poll(&p, 1, ms_left(deadline));
        if (n > 0) return true;
        if (n == 0) return false;
        if (errno != EINTR) return false;
    }
}

// A non-blocking connect bounded by the deadline; returns the socket, or -1.
int connect_by_deadline(const std::string& host, int port, Clock::time_point deadline) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) return -1;
    int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        ::freeaddrinfo(res);
        return -1;
    }
    int rc = ::connect(fd, res->ai_addr, res->ai_addrlen);
    ::freeaddrinfo(res);
    if (rc != 0) {
        if (errno != EINPROGRESS || !wait_for(fd, POLLOUT, deadline)) {
            ::close(fd);
            return -1;
        }
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
            ::close(fd);
            return -1;
        }
    }
    return fd;
}

bool send_all(int fd, const std::string& data, Clock::time_point deadline) {
    size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!wait_for(fd, POLLOUT, deadline)) return false;
        } else {
            return false;
        }
    }
    return true;
}

class Reader {
  public:
    Reader(int fd, Clock::time_point deadline) : fd_(fd), deadline_(deadline) {}

    std::optional<RespReply> reply(int depth = 0) {
        if (depth > 16) return std::nullopt;
        auto line = read_line();
        if (!line || line->empty()) return std::nullopt;
        RespReply r;
        const char kind = (*line)[0];
        const std::string rest = line->substr(1);
        switch (kind) {
            case '+':
                r.type = RespReply::Type::simple;
                r.str = rest;
                return r;
            case '-':
                r.type = RespReply::Type::error;
                r.str = rest;
                return r;
            case ':': {
                r.type = RespReply::Type::integer;
                if (!parse(rest, r.integer)) return std::nullopt;
                return r;
            }
            case '$': {
                long long len = 0;
                if (!parse(rest, len)) return std::nullopt;
                if (len < 0) {
                    r.type = RespReply::Type::nil;
                    return r;
                }
                auto body = read_exact(static_cast<size_t>(len) + 2);
                if (!body) return std::nullopt;
                r.type = RespReply::Type::bulk;
                r.str = body->substr(0, static_cast<size_t>(len));
                return r;
            }
            case '*': {
                long long n = 0;
                if (!parse(rest, n)) return std::nullopt;
                if (n < 0) {
                    r.type = RespReply::Type::nil;
                    return r;
                }
                r.type = RespReply::Type::array;
                for (long long i = 0; i < n; ++i) {
                    auto e = reply(depth + 1);
                    if (!e) return std::nullopt;
                    r.elements.push_back(std::move(*e));
                }
                return r;
            }
            default:
                return std::nullopt;
        }
    }

  private:
    static bool parse(const std::string& s, long long& out) {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc{} && p == s.data() + s.size();
    }

    bool fill() {
        char chunk[4096];
        for (;;) {
            ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n > 0) {
                buf_.append(chunk, static_cast<size_t>(n));
                return true;
            }
            if (n == 0) return false;
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
            if (!wait_for(fd_, POLLIN, deadline_)) return false;
        }
    }

    std::optional<std::string> read_line() {
        for (;;) {
            auto pos = buf_.find("\r\n", start_);
            if (pos != std::string::npos) {
                std::string line = buf_.substr(start_, pos - start_);
                start_ = pos + 2;
                return line;
            }
            if (!fill()) return std::nullopt;
        }
    }

    std::optional<std::string> read_exact(size_t n) {
        while (buf_.size() - start_ < n) {
            if (!fill()) return std::nullopt;
        }
        std::string out = buf_.substr(start_, n);
        start_ += n;
        return out;
    }

    int fd_;
    Clock::time_point deadline_;
    std::string buf_;
    size_t start_ = 0;
};

}  // namespace

std::optional<std::vector<RespReply>> redis_exchange(
    const std::string& host, int port, const std::vector<std::vector<std::string>>& commands,
    std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    Fd fd(connect_by_deadline(host, port, deadline));
    if (fd.get() < 0) return std::nullopt;

    std::string out;
    for (const auto& cmd : commands) {
        out.append("*").append(std::to_string(cmd.size())).append("\r\n");
        for (const auto& arg : cmd)
            out.append("$")
                .append(std::to_string(arg.size()))
                .append("\r\n")
                .append(arg)
                .append("\r\n");
    }
    if (!send_all(fd.get(), out, deadline)) return std::nullopt;

    Reader reader(fd.get(), deadline);
    std::vector<RespReply> replies;
    for (size_t i = 0; i < commands.size(); ++i) {
        auto r = reader.reply();
        if (!r) return std::nullopt;
        replies.push_back(std::move(*r));
    }
    return replies;
}

std::optional<RespReply> redis_command(int port, const std::vector<std::string>& command,
                                       std::chrono::milliseconds timeout) {
    auto replies = redis_exchange("127.0.0.1", port, {command}, timeout);
    if (!replies) return std::nullopt;
    return std::move(replies->front());
}

bool tcp_port_accepts(const std::string& host, int port, std::chrono::milliseconds timeout) {
    Fd fd(connect_by_deadline(host, port, Clock::now() + timeout));
    return fd.get() >= 0;
}

}  // namespace cs::redis
