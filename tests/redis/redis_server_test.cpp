// Tests of the redis-server fixtures themselves: real processes, real ports.
#include "redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include "resp_probe.h"

namespace cs::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

bool answers_pong(int port) {
    auto r = redis_command(port, {"PING"});
    return r && r->type == RespReply::Type::simple && r->str == "PONG";
}

// Polls until the port refuses connections; false if it still accepts after `timeout`.
bool port_closes_within(int port, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (!tcp_port_accepts("127.0.0.1", port)) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

std::string config_get(int port, const std::string& name) {
    auto r = redis_command(port, {"CONFIG", "GET", name});
    if (!r || r->type != RespReply::Type::array || r->elements.size() != 2) return "(no answer)";
    return r->elements[1].str;
}

TEST(RedisServer, StartsAndAnswersPingOnItsPort) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server;
    EXPECT_TRUE(server.running());
    EXPECT_GT(server.port(), 0);
    EXPECT_LT(server.port(), 65536);
    EXPECT_EQ(server.host(), "127.0.0.1");
    EXPECT_EQ(server.url(), "redis://127.0.0.1:" + std::to_string(server.port()));
    EXPECT_TRUE(answers_pong(server.port()));
    EXPECT_TRUE(fs::is_directory(server.dir()));

    auto set = redis_command(server.port(), {"SET", "k", "v"});
    ASSERT_TRUE(set);
    EXPECT_TRUE(set->is_ok());
    auto get = redis_command(server.port(), {"GET", "k"});
    ASSERT_TRUE(get);
    EXPECT_EQ(get->str, "v");
}

TEST(RedisServer, RunsWithoutPersistenceInItsOwnDir) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server;
    EXPECT_EQ(config_get(server.port(), "save"), "");
    EXPECT_EQ(config_get(server.port(), "appendonly"), "no");
    EXPECT_EQ(config_get(server.port(), "daemonize"), "no");
    EXPECT_EQ(fs::canonical(config_get(server.port(), "dir")), fs::canonical(server.dir()));
    EXPECT_TRUE(fs::exists(fs::path(server.dir()) / "redis.log"));
}

TEST(RedisServer, ListensOnLoopbackOnly) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server;
    const int port = server.port();
    EXPECT_TRUE(tcp_port_accepts("127.0.0.1", port));
    EXPECT_EQ(config_get(port, "bind"), "127.0.0.1");
    EXPECT_FALSE(tcp_port_accepts("127.0.0.2", port));
    EXPECT_FALSE(tcp_port_accepts("::1", port));

    // Every other address of this machine refuses it too.
    ifaddrs* addrs = nullptr;
    ASSERT_EQ(::getifaddrs(&addrs), 0);
    int checked = 0;
    for (ifaddrs* a = addrs; a; a = a->ifa_next) {
        if (!a->ifa_addr) continue;
        char text[INET6_ADDRSTRLEN] = {};
        if (a->ifa_addr->sa_family == AF_INET) {
            auto* in = reinterpret_cast<sockaddr_in*>(a->ifa_addr);
            if ((ntohl(in->sin_addr.s_addr) >> 24) == 127) continue;
            ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
        } else if (a->ifa_addr->sa_family == AF_INET6) {
            auto* in6 = reinterpret_cast<sockaddr_in6*>(a->ifa_addr);
            if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) || IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr))
                continue;
            ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
        } else {
            continue;
        }
        EXPECT_FALSE(tcp_port_accepts(text, port)) << "redis-server answers on " << text;
        ++checked;
    }
    ::freeifaddrs(addrs);
    RecordProperty("non_loopback_addresses_checked", checked);
}

TEST(RedisServer, TwoServersGetDifferentPortsAndDirs) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer a;
    RedisServer b;
    EXPECT_NE(a.port(), b.port());
    EXPECT_NE(a.dir(), b.dir());
    EXPECT_TRUE(answers_pong(a.port()));
    EXPECT_TRUE(answers_pong(b.port()));

    ASSERT_TRUE(redis_command(a.port(), {"SET", "only-in-a", "1"}));
    auto in_b = redis_command(b.port(), {"EXISTS", "only-in-a"});
    ASSERT_TRUE(in_b);
    EXPECT_EQ(in_b->integer, 0);
}

TEST(RedisServer, PasswordMakesAnUnauthenticatedPingAnswerNoauth) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server({.password = "s3cret"});
    EXPECT_EQ(server.url().find("s3cret"), std::string::npos);

    auto ping = redis_command(server.port(), {"PING"});
    ASSERT_TRUE(ping);
    ASSERT_TRUE(ping->is_error());
    EXPECT_EQ(ping->str.rfind("NOAUTH", 0), 0u) << ping->str;

    auto authed = redis_exchange(server.host(), server.port(), {{"AUTH", "s3cret"}, {"PING"}});
    ASSERT_TRUE(authed);
    EXPECT_TRUE((*authed)[0].is_ok());
    EXPECT_EQ((*authed)[1].str, "PONG");

    auto wrong = redis_command(server.port(), {"AUTH", "wrong"});
    ASSERT_TRUE(wrong);
    EXPECT_TRUE(wrong->is_error());
}

TEST(RedisServer, ExtraArgumentsReachTheCommandLine) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server({.extra_args = {"--user", "alice", "on", ">secret", "~*", "&*", "+@all",
                                       "--maxmemory", "7mb"}});
    auto replies = redis_exchange(server.host(), server.port(),
                                  {{"AUTH", "alice", "secret"}, {"ACL", "WHOAMI"}});
    ASSERT_TRUE(replies);
    EXPECT_TRUE((*replies)[0].is_ok()) << (*replies)[0].str;
    EXPECT_EQ((*replies)[1].str, "alice");
    EXPECT_EQ(config_get(server.port(), "maxmemory"), std::to_string(7 * 1024 * 1024));
}

TEST(RedisServer, StopMakesThePortRefuseConnections) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server;
    const int port = server.port();
    ASSERT_TRUE(answers_pong(port));
    server.stop();
    EXPECT_FALSE(server.running());
    EXPECT_FALSE(tcp_port_accepts("127.0.0.1", port));
    server.stop();  // idempotent
    server.kill();  // a no-op once stopped
    EXPECT_FALSE(server.running());
    EXPECT_EQ(server.port(), port);
}

TEST(RedisServer, KillThenRestartComesBackOnTheSamePortEmpty) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server;
    const int port = server.port();
    const std::string dir = server.dir();
    ASSERT_TRUE(redis_command(port, {"SET", "k", "v"}));

    server.kill();
    EXPECT_FALSE(server.running());
    EXPECT_FALSE(tcp_port_accepts("127.0.0.1", port));

    server.restart();
    EXPECT_TRUE(server.running());
    EXPECT_EQ(server.port(), port);
    EXPECT_EQ(server.dir(), dir);
    EXPECT_TRUE(answers_pong(port));
    auto get = redis_command(port, {"GET", "k"});  // no persistence: a crash loses the data
    ASSERT_TRUE(get);
    EXPECT_EQ(get->type, RespReply::Type::nil);
}

TEST(RedisServer, RestartAfterStopAndWhileRunning) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server({.password = "pw"});
    const int port = server.port();
    server.stop();
    server.restart();
    EXPECT_TRUE(server.running());
    server.restart();  // stops the running server first
    EXPECT_TRUE(server.running());
    EXPECT_EQ(server.port(), port);
    auto ping = redis_command(port, {"PING"});
    ASSERT_TRUE(ping);
    EXPECT_EQ(ping->str.rfind("NOAUTH", 0), 0u);  // still password-protected
}

// Engine tests crash and restart a server while their client threads keep talking to it: fork+exec
// from a multithreaded process (also under TSan) must work, and the threads see it come back.
TEST(RedisServer, KillAndRestartWhileOtherThreadsTalkToIt) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisServer server;
    const int port = server.port();
    std::atomic<bool> done{false};
    std::atomic<int> pongs_after_restart{0};
    std::atomic<bool> restarted{false};
    std::vector<std::thread> clients;
    for (int i = 0; i < 4; ++i) {
        clients.emplace_back([&] {
            while (!done.load()) {
                const bool after = restarted.load();
                if (answers_pong(port) && after) pongs_after_restart.fetch_add(1);
                std::this_thread::sleep_for(2ms);
            }
        });
    }
    std::this_thread::sleep_for(50ms);
    server.kill();
    std::this_thread::sleep_for(50ms);
    server.restart();
    restarted.store(true);
    const auto deadline = Clock::now() + 5s;
    while (pongs_after_restart.load() < 20 && Clock::now() < deadline)
        std::this_thread::sleep_for(5ms);
    done.store(true);
    for (auto& t : clients) t.join();
    EXPECT_GE(pongs_after_restart.load(), 20);
    EXPECT_TRUE(server.running());
}

TEST(RedisServer, DestructorStopsTheServerAndRemovesItsDir) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    std::string dir;
    int port = 0;
    {
        RedisServer server;
        dir = server.dir();
        port = server.port();
        ASSERT_TRUE(fs::is_directory(dir));
    }
    EXPECT_FALSE(fs::exists(dir));
    EXPECT_FALSE(tcp_port_accepts("127.0.0.1", port));
}

TEST(RedisServer, RetriesOnAFreshPortWhenItsPortIsTaken) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    // Someone else listens on `taken`; the fixture is handed that port twice before a free one.
    const int taken = free_loopback_port();
    const int holder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(holder, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(taken));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(holder, 16), 0);

    int handed_taken = 0;
    detail::set_port_picker_for_testing(
        [&] { return handed_taken < 2 ? (++handed_taken, taken) : 0; });
    struct ResetPicker {
        ~ResetPicker() { detail::set_port_picker_for_testing({}); }
    } reset;

    RedisServer server;
    EXPECT_EQ(handed_taken, 2);
    EXPECT_NE(server.port(), taken);
    EXPECT_TRUE(answers_pong(server.port()));
    ::close(holder);
}

TEST(RedisServer, StartupFailureThrowsWithTheLogTailAndCleansUp) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    std::string message;
    try {
        RedisServer server({.extra_args = {"--no-such-directive", "x"}});
        ADD_FAILURE() << "redis-server started with a bad directive";
    } catch (const std::runtime_error& e) {
        message = e.what();
    }
    EXPECT_NE(message.find("Bad directive"), std::string::npos) << message;
    // The message names the server's temp dir: "... the tail of its log
    // (/tmp/chanscope-redis-XXXXXX):"
    const auto at = message.find("chanscope-redis-");
    const auto open = message.rfind('(', at);
    const auto close = message.find(')', at);
    ASSERT_TRUE(at != std::string::npos && open != std::string::npos && close != std::string::npos)
        << message;
    const std::string dir = message.substr(open + 1, close - open - 1);
    EXPECT_FALSE(fs::exists(dir)) << "temp dir left behind: " << dir;
}

TEST(RedisServer, FreeLoopbackPortIsBindable) {
    const int port = free_loopback_port();
    ASSERT_GT(port, 1023);
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0)
        << std::strerror(errno);
    ::close(fd);
}

// ---- a server does not outlive its test process
// --------------------------------------------------

enum class ParentDeath { exit_without_cleanup, sigkill };

struct ChildReport {
    int port = -1;
    char dir[512] = {};
};

// Forks a child test process that starts a RedisServer, reports its port over a pipe and dies as
// told without running any destructor; the server must go with it. This process is a child
// subreaper meanwhile, so the orphaned redis-server is reparented here and its exit status shows
// what ended it.
void expect_server_dies_with_its_parent(ParentDeath how) {
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    struct Unsubreaper {
        ~Unsubreaper() { ::prctl(PR_SET_CHILD_SUBREAPER, 0); }
    } unsubreaper;

    int report[2], go[2];
    ASSERT_EQ(::pipe2(report, O_CLOEXEC), 0);
    ASSERT_EQ(::pipe2(go, O_CLOEXEC), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(report[0]);
        ::close(go[1]);
        ChildReport r;
        try {
            auto* server = new RedisServer();  // leaked on purpose: no destructor runs
            r.port = server->port();
            std::strncpy(r.dir, server->dir().c_str(), sizeof r.dir - 1);
        } catch (...) {
        }
        (void)!::write(report[1], &r, sizeof r);
        char c;
        (void)!::read(go[0], &c, 1);  // the parent writes, or SIGKILLs us
        ::_exit(1);
    }
    ::close(report[1]);
    ::close(go[0]);
    ChildReport r;
    const bool got = ::read(report[0], &r, sizeof r) == static_cast<ssize_t>(sizeof r);
    ::close(report[0]);
    struct RemoveDir {
        const ChildReport& r;
        ~RemoveDir() {
            std::error_code ec;
            if (r.dir[0]) fs::remove_all(r.dir, ec);
        }
    } remove_dir{r};

    const bool was_up = got && r.port > 0 && answers_pong(r.port);
    if (how == ParentDeath::sigkill) {
        ::kill(child, SIGKILL);
    } else {
        (void)!::write(go[1], "x", 1);
    }
    ::close(go[1]);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(was_up) << "the child's redis-server did not come up";
    if (how == ParentDeath::sigkill) {
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    } else {
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    }

    EXPECT_TRUE(port_closes_within(r.port, 5s)) << "redis-server outlived its parent on " << r.port;

    // Reap the orphan; it must have been SIGKILLed (PR_SET_PDEATHSIG), not left running.
    bool reaped = false;
    int orphan_status = 0;
    for (auto deadline = Clock::now() + 5s; !reaped && Clock::now() < deadline;) {
        pid_t p = ::waitpid(-1, &orphan_status, WNOHANG);
        if (p > 0) {
            reaped = true;
        } else {
            std::this_thread::sleep_for(10ms);
        }
    }
    ASSERT_TRUE(reaped) << "no orphaned redis-server was reparented to the test process";
    EXPECT_TRUE(WIFSIGNALED(orphan_status) && WTERMSIG(orphan_status) == SIGKILL)
        << "orphan status " << orphan_status;
}

TEST(RedisServer, DiesWhenItsTestProcessExitsWithoutCleanup) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    expect_server_dies_with_its_parent(ParentDeath::exit_without_cleanup);
}

TEST(RedisServer, DiesWhenItsTestProcessIsKilled) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    expect_server_dies_with_its_parent(ParentDeath::sigkill);
}

// ---- cluster
// -------------------------------------------------------------------------------------

TEST(RedisCluster, ReachesStateOkAndCoversEverySlotAcrossThreeNodes) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisCluster cluster;
    auto nodes = cluster.nodes();
    ASSERT_EQ(nodes.size(), 3u);
    EXPECT_EQ(cluster.seed_url(), nodes[0]->url());
    std::set<int> ports;
    for (auto* n : nodes) {
        ports.insert(n->port());
        auto info = redis_command(n->port(), {"CLUSTER", "INFO"});
        ASSERT_TRUE(info);
        EXPECT_NE(info->str.find("cluster_state:ok"), std::string::npos) << info->str;
        EXPECT_NE(info->str.find("cluster_size:3"), std::string::npos) << info->str;
    }
    EXPECT_EQ(ports.size(), 3u);

    for (auto* n : nodes) {  // every node gives the same, complete answer
        auto slots = redis_command(n->port(), {"CLUSTER", "SLOTS"});
        ASSERT_TRUE(slots);
        ASSERT_EQ(slots->type, RespReply::Type::array);
        std::vector<std::pair<long long, long long>> ranges;
        std::set<int> owners;
        for (const auto& range : slots->elements) {
            ASSERT_GE(range.elements.size(), 3u);
            ranges.emplace_back(range.elements[0].integer, range.elements[1].integer);
            ASSERT_GE(range.elements[2].elements.size(), 2u);
            EXPECT_EQ(range.elements[2].elements[0].str, "127.0.0.1");
            owners.insert(static_cast<int>(range.elements[2].elements[1].integer));
        }
        std::sort(ranges.begin(), ranges.end());
        ASSERT_FALSE(ranges.empty());
        EXPECT_EQ(ranges.front().first, 0);
        EXPECT_EQ(ranges.back().second, 16383);
        for (size_t i = 1; i < ranges.size(); ++i)
            EXPECT_EQ(ranges[i].first, ranges[i - 1].second + 1)
                << "gap or overlap in CLUSTER SLOTS";
        EXPECT_EQ(owners, ports);
    }
}

TEST(RedisCluster, AKeyLivesOnOneNodeAndTheOthersRedirect) {
    CS_SKIP_WITHOUT_REDIS_SERVER();
    RedisCluster cluster;
    int owner = 0;
    std::vector<std::string> redirects;
    for (auto* n : cluster.nodes()) {
        auto r = redis_command(n->port(), {"SET", "user:42", "x"});
        ASSERT_TRUE(r);
        if (r->is_ok()) {
            EXPECT_EQ(owner, 0) << "two nodes took the key";
            owner = n->port();
        } else {
            ASSERT_TRUE(r->is_error());
            redirects.push_back(r->str);
        }
    }
    ASSERT_NE(owner, 0);
    ASSERT_EQ(redirects.size(), 2u);
    auto slot = redis_command(owner, {"CLUSTER", "KEYSLOT", "user:42"});
    ASSERT_TRUE(slot);
    EXPECT_EQ(slot->integer, 15880);
    for (const auto& moved : redirects)
        EXPECT_EQ(moved, "MOVED 15880 127.0.0.1:" + std::to_string(owner));
}

}  // namespace
}  // namespace cs::test
