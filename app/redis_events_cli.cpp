#include "redis_events_cli.h"

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <mutex>
#include <ostream>

#include "command_options.h"
#include "redis/keyspace_events.h"
#include "redis/redis_client.h"

namespace cs::app {

namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void on_stop_signal(int) {
    stop_redis_events();
}

// Installs the stop handlers for SIGINT and SIGTERM, and puts the previous ones back.
class StopSignals {
  public:
    StopSignals() {
        stop_requested = false;
        m_int = std::signal(SIGINT, on_stop_signal);
        m_term = std::signal(SIGTERM, on_stop_signal);
    }
    ~StopSignals() {
        std::signal(SIGINT, m_int);
        std::signal(SIGTERM, m_term);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

  private:
    void (*m_int)(int);
    void (*m_term)(int);
};

struct EventsArgs {
    redis::RedisUrl url;
    uint64_t count = 0;  // 0: until interrupted
    bool enable = false;
    bool json = false;
};

EventsArgs parse_events(const std::vector<std::string>& args) {
    std::vector<std::string> rest;
    EventsArgs a;
    for (size_t i = 0; i < args.size(); ++i) {
        if (i >= 2 && args[i] == "--enable-notifications")
            a.enable = true;
        else
            rest.push_back(args[i]);
    }
    std::string positional;
    auto opts =
        parse_command_options(rest, 2, {"url", "password-file", "count", "report"}, positional);
    if (!positional.empty()) throw UsageError{"unexpected argument \"" + positional + "\""};
    if (!opts.count("url"))
        throw UsageError{"redis events needs --url redis://[[user]:password@]host[:port][/db]"};
    a.url = redis::with_credentials(redis::parse_redis_url(opts["url"]),
                                    {.password_file = opts["password-file"]});
    if (opts.count("count"))
        a.count = parse_whole("--count", opts["count"], 0, 999'999'999,
                              "0 .. 999999999, 0: until interrupted");
    if (opts.count("report")) {
        if (opts["report"] != "text" && opts["report"] != "json")
            throw UsageError{"--report: \"" + opts["report"] + "\" is not one of: text, json"};
        a.json = opts["report"] == "json";
    }
    return a;
}

// Events handed from the subscriber's thread to the printing one.
class EventQueue {
  public:
    void push(const redis::KeyspaceEvent& e) {
        {
            std::lock_guard lock(m_mu);
            m_events.push_back(e);
        }
        m_ready.notify_one();
    }
    // Waits up to `wait` for events; returns what has arrived (possibly nothing).
    std::deque<redis::KeyspaceEvent> take(std::chrono::milliseconds wait) {
        std::unique_lock lock(m_mu);
        m_ready.wait_for(lock, wait, [&] { return !m_events.empty(); });
        return std::exchange(m_events, {});
    }

  private:
    std::mutex m_mu;
    std::condition_variable m_ready;
    std::deque<redis::KeyspaceEvent> m_events;
};

}  // namespace

void stop_redis_events() noexcept {
    stop_requested = true;
}

int run_redis_events(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    EventsArgs a = parse_events(args);
    redis::RedisClient client(a.url);
    std::optional<redis::KeyspaceNotifications> notifications;
    if (a.enable) {
        notifications.emplace(client);
    } else if (std::string setting = redis::notification_setting(client);
               !redis::sends_keyevents(setting)) {
        err << "chanscope redis events: keyspace notifications are off on " << a.url.text()
            << " (notify-keyspace-events is \"" << setting
            << "\"); add --enable-notifications to turn them on while this runs (the setting "
               "is put back on exit)\n";
        return 1;
    }
    StopSignals signals;
    EventQueue queue;
    redis::KeyspaceEventStream stream(a.url, [&](const redis::KeyspaceEvent& e) { queue.push(e); });
    uint64_t printed = 0;
    while (!stop_requested && (a.count == 0 || printed < a.count)) {
        for (const redis::KeyspaceEvent& e : queue.take(std::chrono::milliseconds(100))) {
            if (a.count != 0 && printed == a.count) break;
            out << (a.json ? redis::keyevent_json(e) : redis::keyevent_text(e)) << "\n";
            ++printed;
        }
        out << std::flush;
    }
    if (notifications) notifications->restore();  // reported if it fails
    return 0;
}

}  // namespace cs::app
