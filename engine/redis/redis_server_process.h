#pragma once
// RedisServerProcess: a private redis-server this process starts and owns — on 127.0.0.1 and a
// free port, in a private temp dir, with no persistence (--save "", --appendonly no) — and stops
// (removing the dir) when destroyed. A scenario that needs Redis and was given no URL runs on
// one; the test suites run every Redis test on them (DESIGN.md, Testing: no mocks of Redis).
// RedisCluster joins three into a 3-master cluster with redis-cli --cluster create.
//
// Processes: redis-server is started with fork+exec, and the child asks for SIGKILL when its
// parent dies (prctl PR_SET_PDEATHSIG), so a process that crashes or is killed leaves no server
// behind. Linux delivers that signal when the *thread* that forked exits, so construct (and
// restart()) servers on a thread that outlives them (a test's own thread, the main thread).
// Not thread-safe: drive one from one thread (clients on other threads are fine).


#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cs::redis {

struct RedisServerProcessOptions {
    std::string password{};                 // requirepass for the default user; empty: none
    std::vector<std::string> extra_args{};  // appended to the command line (so they override the
                                            // defaults), e.g. {"--user", "alice", "on", ">secret",
                                            // "~*", "&*", "+@all"} or {"--cluster-enabled", "yes"}.
                                            // "{port}" in an argument is replaced by the port.
};

class RedisServerProcess {
  public:
    // Starts redis-server and waits (<= 10 s) until it answers PING (a NOAUTH error counts as
    // up). A port someone took in the meantime is retried on a fresh port (a few times). Throws
    // std::runtime_error quoting the tail of redis-server's log (and stderr) on failure.
    explicit RedisServerProcess(RedisServerProcessOptions options = {});
    ~RedisServerProcess();  // stop(), then removes dir()
    RedisServerProcess(const RedisServerProcess&) = delete;
    RedisServerProcess& operator=(const RedisServerProcess&) = delete;

    int port() const noexcept { return port_; }
    std::string host() const;  // "127.0.0.1"
    std::string url() const;   // "redis://127.0.0.1:PORT" (never includes a password)
    const std::string& dir() const noexcept { return dir_; }  // private temp dir

    void stop();     // SIGTERM and wait; SIGKILL after 5 s. Idempotent.
    void kill();     // SIGKILL now (a crash) and wait for it. Idempotent.
    void restart();  // stop() if running, start again on the same port and dir, wait until up.
                     // Throws std::runtime_error if it does not come up (port taken meanwhile).
    bool running() const;

    static bool available();  // redis-server is installed (PATH or $CHANSCOPE_REDIS_SERVER)

  private:
    enum class StartResult { up, port_in_use };
    StartResult start_once();  // throws on failures other than a taken port
    void reap(int timeout_ms, bool kill_after);

    RedisServerProcessOptions options_;
    std::string dir_;
    int port_ = 0;
    bool cluster_ = false;
    mutable pid_t pid_ = -1;  // -1: not running (running() reaps an exited child)
};

// A TCP port on 127.0.0.1 that was free a moment ago (chosen below the kernel's ephemeral range,
// so outgoing connections do not grab it in the meantime).
int free_loopback_port();

// A 3-master cluster, no replicas: three RedisServers with --cluster-enabled yes (node timeout
// 2000 ms), joined by redis-cli --cluster create; the constructor returns once every node says
// cluster_state:ok and knows all three nodes. Throws std::runtime_error otherwise.
class RedisCluster {
  public:
    RedisCluster();
    RedisCluster(const RedisCluster&) = delete;
    RedisCluster& operator=(const RedisCluster&) = delete;

    std::vector<RedisServerProcess*> nodes();
    std::string seed_url() const;  // nodes()[0]->url()

  private:
    std::vector<std::unique_ptr<RedisServerProcess>> nodes_;
};

namespace detail {
// Test seam for the port race: every free-port pick asks `picker` first and takes its answer if
// positive (0: pick as usual). Reset with an empty function. redis_server_test uses it to hand the
// fixture a port that is already taken.
void set_port_picker_for_testing(std::function<int()> picker);
}  // namespace detail

}  // namespace cs::redis
