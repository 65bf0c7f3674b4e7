#include "redis/redis_server_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "redis/resp_probe.h"

namespace cs::redis {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr const char* kHost = "127.0.0.1";
constexpr auto kStartTimeout = 10s;
constexpr auto kStopGrace = 5s;
constexpr int kFreshPortAttempts = 6;  // constructor: a taken port is retried on a new one
constexpr int kRestartAttempts = 10;   // restart: same port, so wait for it to come free
constexpr int kClusterBusOffset = 10000;
constexpr const char* kLogName = "redis.log";
constexpr const char* kOutputName = "redis.stdout";  // stdout/stderr: config errors land here

// ---- executables -------------------------------------------------------------------------------

std::string find_executable(const char* env_override, const char* name) {
    if (const char* env = std::getenv(env_override); env && *env) {
        return ::access(env, X_OK) == 0 ? std::string(env) : std::string();
    }
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    path += ":/usr/bin:/usr/local/bin";
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
        if (dir.empty()) continue;
        std::string candidate = dir + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return {};
}

std::string redis_server_binary() {
    return find_executable("CHANSCOPE_REDIS_SERVER", "redis-server");
}

std::string redis_cli_binary() {
    std::string cli = find_executable("CHANSCOPE_REDIS_CLI", "redis-cli");
    if (cli.empty()) throw std::runtime_error("RedisCluster: redis-cli is not installed");
    return cli;
}

// ---- processes ---------------------------------------------------------------------------------

// fork+exec with the child's stdin on /dev/null and stdout+stderr appended to output_path. The
// child gets SIGKILL when the forking thread dies, so a crashed test leaves nothing running.
pid_t spawn(const std::vector<std::string>& args, const std::string& output_path) {
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);

    const int out = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out < 0)
        throw std::runtime_error("cannot open " + output_path + ": " + std::strerror(errno));
    const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const long open_max = std::min(::sysconf(_SC_OPEN_MAX), 65536L);
    const pid_t parent = ::getpid();

    const pid_t pid = ::fork();
    if (pid == 0) {
        // Child: async-signal-safe calls only until execv.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
        if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
        ::dup2(out, STDOUT_FILENO);  // dup2 leaves the new descriptors without O_CLOEXEC
        ::dup2(out, STDERR_FILENO);
        // Inherit nothing else (a test's pipe must see EOF when the test's side closes it).
#ifdef SYS_close_range
        if (::syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
#endif
            for (long fd = 3; fd < open_max; ++fd) ::close(static_cast<int>(fd));
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    const int fork_errno = errno;
    ::close(out);
    if (devnull >= 0) ::close(devnull);
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(fork_errno));
    return pid;
}

// waitpid without blocking: true if the child is gone (reaped now, or earlier by someone else).
bool try_reap(pid_t pid, int* status = nullptr) {
    int st = 0;
    for (;;) {
        pid_t r = ::waitpid(pid, &st, WNOHANG);
        if (r == pid) {
            if (status) *status = st;
            return true;
        }
        if (r == 0) return false;
        if (errno == EINTR) continue;
        return true;  // ECHILD: not ours any more
    }
}

void reap_blocking(pid_t pid, int* status = nullptr) {
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (status) *status = st;
}

// ---- files -------------------------------------------------------------------------------------

std::string make_temp_dir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/chanscope-redis-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr)
        throw std::runtime_error("mkdtemp " + templ + ": " + std::strerror(errno));
    return std::string(buf.data());
}

std::uintmax_t file_size_or_zero(const std::string& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

std::string read_from(const std::string& path, std::uintmax_t offset) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    in.seekg(static_cast<std::streamoff>(offset));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string tail_lines(const std::string& text, size_t lines) {
    size_t pos = text.size();
    if (pos > 0 && text[pos - 1] == '\n') --pos;
    for (size_t n = 0; n < lines && pos > 0; ++n) {
        pos = text.rfind('\n', pos - 1);
        if (pos == std::string::npos) return text;
    }
    return text.substr(pos == 0 ? 0 : pos + 1);
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// ---- ports -------------------------------------------------------------------------------------

std::mutex g_port_mutex;
std::function<int()> g_port_picker;  // test seam

bool loopback_port_bindable(int port) {
    if (port <= 0 || port > 65535) return false;
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // No SO_REUSEADDR: a port that still has TIME_WAIT connections counts as taken, too.
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

int ephemeral_low() {
    std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
    int low = 32768, high = 60999;
    if (!(in >> low >> high)) low = 32768;
    return low;
}

// A port p on 127.0.0.1 that is free, and (with_bus) p + 10000 too. Ports come from below the
// kernel's ephemeral range (with their bus ports), so connections made in the meantime, whose
// local ports the kernel picks from that range, cannot take them before redis-server binds.
int pick_port(bool with_bus) {
    std::function<int()> picker;
    {
        std::lock_guard lock(g_port_mutex);
        picker = g_port_picker;
    }
    if (picker) {
        if (int p = picker(); p > 0) return p;
    }
    std::lock_guard lock(g_port_mutex);
    static std::mt19937 rng(std::random_device{}() ^ static_cast<unsigned>(::getpid()) ^
                            static_cast<unsigned>(Clock::now().time_since_epoch().count()));
    int lo = 10000;
    int hi = ephemeral_low() - kClusterBusOffset;  // exclusive
    if (hi - lo < 2000) {                          // odd ephemeral range: anything that fits
        lo = 1024;
        hi = 65536 - kClusterBusOffset;
    }
    std::uniform_int_distribution<int> dist(lo, hi - 1);
    for (int i = 0; i < 200; ++i) {
        int p = dist(rng);
        if (loopback_port_bindable(p) &&
            (!with_bus || loopback_port_bindable(p + kClusterBusOffset)))
            return p;
    }
    throw std::runtime_error("free_loopback_port: no free port found on 127.0.0.1");
}

bool has_cluster_enabled(const std::vector<std::string>& args) {
    for (size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--cluster-enabled" && args[i + 1] == "yes") return true;
    return false;
}

std::string substitute_port(std::string arg, int port) {
    const std::string key = "{port}";
    for (size_t pos; (pos = arg.find(key)) != std::string::npos;)
        arg.replace(pos, key.size(), std::to_string(port));
    return arg;
}

}  // namespace

int free_loopback_port() {
    return pick_port(false);
}

namespace detail {
void set_port_picker_for_testing(std::function<int()> picker) {
    std::lock_guard lock(g_port_mutex);
    g_port_picker = std::move(picker);
}
}  // namespace detail

// ---- RedisServerProcess -------------------------------------------------------------------------------

bool RedisServerProcess::available() {
    return !redis_server_binary().empty();
}

RedisServerProcess::RedisServerProcess(RedisServerProcessOptions options)
    : options_(std::move(options)), cluster_(has_cluster_enabled(options_.extra_args)) {
    if (!available())
        throw std::runtime_error("RedisServerProcess: redis-server is not installed (scripts/deps.sh)");
    dir_ = make_temp_dir();
    try {
        for (int attempt = 0; attempt < kFreshPortAttempts; ++attempt) {
            port_ = pick_port(cluster_);
            if (start_once() == StartResult::up) return;
        }
        throw std::runtime_error(
            "RedisServerProcess: every port tried was taken before redis-server bound it (" +
            std::to_string(kFreshPortAttempts) + " attempts)");
    } catch (...) {
        kill();
        std::error_code ec;
        fs::remove_all(dir_, ec);
        throw;
    }
}

RedisServerProcess::~RedisServerProcess() {
    stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

std::string RedisServerProcess::host() const {
    return kHost;
}

std::string RedisServerProcess::url() const {
    return "redis://" + host() + ":" + std::to_string(port_);
}

bool RedisServerProcess::running() const {
    if (pid_ < 0) return false;
    if (try_reap(pid_)) pid_ = -1;
    return pid_ >= 0;
}

void RedisServerProcess::reap(int timeout_ms, bool kill_after) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < deadline) {
        if (try_reap(pid_)) {
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(5ms);
    }
    if (kill_after) {
        ::kill(pid_, SIGKILL);
        reap_blocking(pid_);
        pid_ = -1;
    }
}

void RedisServerProcess::stop() {
    if (!running()) return;
    ::kill(pid_, SIGTERM);
    reap(static_cast<int>(std::chrono::milliseconds(kStopGrace).count()), true);
}

void RedisServerProcess::kill() {
    if (!running()) return;
    ::kill(pid_, SIGKILL);
    reap_blocking(pid_);
    pid_ = -1;
}

void RedisServerProcess::restart() {
    stop();
    for (int attempt = 0; attempt < kRestartAttempts; ++attempt) {
        if (start_once() == StartResult::up) return;
        std::this_thread::sleep_for(300ms);
    }
    throw std::runtime_error("RedisServerProcess::restart: port " + std::to_string(port_) +
                             " stayed taken; redis-server could not bind it again");
}

RedisServerProcess::StartResult RedisServerProcess::start_once() {
    const std::string log_path = dir_ + "/" + kLogName;
    const std::string out_path = dir_ + "/" + kOutputName;
    const auto log_offset = file_size_or_zero(log_path);
    const auto out_offset = file_size_or_zero(out_path);

    std::vector<std::string> args = {redis_server_binary(),
                                     "--port",
                                     std::to_string(port_),
                                     "--bind",
                                     kHost,
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--dir",
                                     dir_,
                                     "--daemonize",
                                     "no",
                                     "--logfile",
                                     log_path};
    if (!options_.password.empty()) {
        args.push_back("--requirepass");
        args.push_back(options_.password);
    }
    for (const auto& a : options_.extra_args) args.push_back(substitute_port(a, port_));

    pid_ = spawn(args, out_path);

    auto new_output = [&] {
        return read_from(log_path, log_offset) + read_from(out_path, out_offset);
    };
    auto failure = [&](const std::string& what) {
        return std::runtime_error(
            "RedisServerProcess: redis-server on 127.0.0.1:" + std::to_string(port_) + " " + what +
            "; the tail of its log (" + dir_ + "):\n" + tail_lines(new_output(), 20));
    };

    const auto deadline = Clock::now() + kStartTimeout;
    const std::string pid_line = "process_id:" + std::to_string(pid_) + "\r\n";
    while (Clock::now() < deadline) {
        int status = 0;
        if (try_reap(pid_, &status)) {
            pid_ = -1;
            const std::string out = new_output();
            if (contains(out, "Address already in use")) return StartResult::port_in_use;
            throw failure("exited during startup (status " + std::to_string(status) + ")");
        }
        // Is the server answering on the port ours, and up? A PING answer (or a NOAUTH error)
        // says something is up; "Ready to accept connections" in our own log, or INFO's
        // process_id, says it is our process and not someone else's server on a taken port.
        std::vector<std::vector<std::string>> cmds;
        if (!options_.password.empty()) cmds.push_back({"AUTH", options_.password});
        cmds.push_back({"PING"});
        cmds.push_back({"INFO", "server"});
        if (auto replies = redis_exchange(kHost, port_, cmds, 200ms)) {
            const RespReply& ping = (*replies)[replies->size() - 2];
            const RespReply& info = replies->back();
            const bool answers = (ping.type == RespReply::Type::simple && ping.str == "PONG") ||
                                 (ping.is_error() && ping.str.rfind("LOADING", 0) != 0);
            const bool ours =
                (info.type == RespReply::Type::bulk && contains(info.str, pid_line)) ||
                contains(read_from(log_path, log_offset), "Ready to accept connections");
            if (answers && ours) return StartResult::up;
        }
        std::this_thread::sleep_for(20ms);
    }
    auto error = failure("did not answer PING within 10 s");
    kill();
    throw error;
}

// ---- RedisCluster ------------------------------------------------------------------------------

RedisCluster::RedisCluster() {
    RedisServerProcessOptions options;
    options.extra_args = {"--cluster-enabled",      "yes",
                          "--cluster-config-file",  "nodes-{port}.conf",
                          "--cluster-node-timeout", "2000"};
    for (int i = 0; i < 3; ++i) nodes_.push_back(std::make_unique<RedisServerProcess>(options));

    std::vector<std::string> args = {redis_cli_binary(), "--cluster", "create"};
    for (const auto& n : nodes_) args.push_back(n->host() + ":" + std::to_string(n->port()));
    args.push_back("--cluster-yes");
    const std::string out_path = nodes_[0]->dir() + "/cluster-create.log";
    const pid_t pid = spawn(args, out_path);
    const auto create_deadline = Clock::now() + 30s;
    int status = 0;
    bool done = false;
    while (!(done = try_reap(pid, &status)) && Clock::now() < create_deadline)
        std::this_thread::sleep_for(20ms);
    if (!done) {
        ::kill(pid, SIGKILL);
        reap_blocking(pid);
    }
    if (!done || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error(std::string("RedisCluster: redis-cli --cluster create ") +
                                 (done ? "failed" : "took over 30 s") + ":\n" +
                                 tail_lines(read_from(out_path, 0), 20));
    }

    // redis-cli waits for the nodes to agree on the configuration; wait until each one also says
    // the cluster is usable from where it stands.
    const auto deadline = Clock::now() + 20s;
    std::string last;
    for (;;) {
        bool all_ok = true;
        for (const auto& n : nodes_) {
            auto info = redis_command(n->port(), {"CLUSTER", "INFO"}, 1s);
            last = info ? info->str : std::string("(no answer)");
            if (!info || !contains(info->str, "cluster_state:ok") ||
                !contains(info->str, "cluster_known_nodes:3") ||
                !contains(info->str, "cluster_slots_ok:16384")) {
                all_ok = false;
                break;
            }
        }
        if (all_ok) return;
        if (Clock::now() >= deadline)
            throw std::runtime_error(
                "RedisCluster: no cluster_state:ok on every node within 20 s; last CLUSTER "
                "INFO:\n" +
                last);
        std::this_thread::sleep_for(50ms);
    }
}

std::vector<RedisServerProcess*> RedisCluster::nodes() {
    std::vector<RedisServerProcess*> out;
    for (auto& n : nodes_) out.push_back(n.get());
    return out;
}

std::string RedisCluster::seed_url() const {
    return nodes_.front()->url();
}

}  // namespace cs::redis
