#include "telemetry/trace_export.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "telemetry/ticks.h"

namespace cs::telemetry {
namespace {

std::string json_string(const std::string& s) {
    return nlohmann::json(s).dump();
}

// Microseconds with nanosecond precision, as the trace format wants.
std::string micros(int64_t ticks) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ticks_to_ns(ticks)) / 1000.0);
    return buf;
}

struct OpenSlice {
    std::string name;
    int64_t start = 0;
};

class Writer {
  public:
    Writer(std::ostream& out, const TraceNames& names) : m_out(out), m_names(names) {}

    void write(const std::vector<Event>& events) {
        m_out << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
        m_out << R"({"ph":"M","pid":1,"name":"process_name","args":{"name":"chanscope tasks"}})";
        for (const Event& e : events) on_event(e);
        if (!events.empty()) {
            int64_t end = events.back().ticks;
            // Tasks still alive at the end: their last slice ends there. (close_slice erases.)
            while (!m_open.empty()) close_slice(m_open.begin()->first, end);
        }
        m_out << "\n]}\n";
    }

  private:
    void line(const std::string& json) { m_out << ",\n" << json; }

    std::string object_name(uint64_t id) {
        if (id == 0) return "";
        std::string n = m_names.object ? m_names.object(id) : "";
        return n.empty() ? "#" + std::to_string(id) : n;
    }

    void name_track(uint64_t task) {
        if (!m_named.emplace(task, true).second) return;
        std::string n = m_names.task ? m_names.task(task) : "";
        if (n.empty()) n = "task-" + std::to_string(task);
        line(R"({"ph":"M","pid":1,"tid":)" + std::to_string(task) +
             R"(,"name":"thread_name","args":{"name":)" +
             json_string(n + " #" + std::to_string(task)) + "}}");
        line(R"({"ph":"M","pid":1,"tid":)" + std::to_string(task) +
             R"(,"name":"thread_sort_index","args":{"sort_index":)" + std::to_string(task) + "}}");
    }

    void close_slice(uint64_t task, int64_t end) {
        auto it = m_open.find(task);
        if (it == m_open.end()) return;
        const OpenSlice& s = it->second;
        int64_t dur_ns = ticks_to_ns(end) - ticks_to_ns(s.start);
        char dur[32];
        std::snprintf(dur, sizeof dur, "%.3f",
                      static_cast<double>(std::max<int64_t>(dur_ns, 0)) / 1000.0);
        line(R"({"ph":"X","pid":1,"tid":)" + std::to_string(task) + R"(,"cat":"task","name":)" +
             json_string(s.name) + R"(,"ts":)" + micros(s.start) + R"(,"dur":)" + dur + "}");
        m_open.erase(it);
    }

    void open_slice(uint64_t task, std::string name, int64_t start) {
        close_slice(task, start);
        m_open[task] = OpenSlice{std::move(name), start};
    }

    void on_event(const Event& e) {
        if (e.kind == EventKind::deadlock) {
            line(R"({"ph":"i","pid":1,"tid":0,"s":"g","name":"deadlock","ts":)" + micros(e.ticks) +
                 "}");
            return;
        }
        name_track(e.task);
        switch (e.kind) {
            case EventKind::task_spawn:
                open_slice(e.task, "runnable", e.ticks);
                break;
            case EventKind::task_run:
                open_slice(e.task, "running", e.ticks);
                break;
            case EventKind::task_wake:
                open_slice(e.task, "runnable", e.ticks);
                break;
            case EventKind::task_block: {
                std::string what = std::string("blocked: ") + rt::to_string(e.reason);
                std::string obj = object_name(e.object);
                if (!obj.empty()) what += " " + obj;
                open_slice(e.task, what, e.ticks);
                break;
            }
            case EventKind::task_done:
                close_slice(e.task, e.ticks);
                if (e.aux)
                    line(R"({"ph":"i","pid":1,"s":"t","tid":)" + std::to_string(e.task) +
                         R"(,"name":"task threw","ts":)" + micros(e.ticks) + "}");
                break;
            case EventKind::chan_send:
            case EventKind::chan_recv: {
                bool send = e.kind == EventKind::chan_send;
                std::string obj = object_name(e.object);
                std::string ts = micros(e.ticks);
                std::string tid = std::to_string(e.task);
                line(R"({"ph":"i","pid":1,"s":"t","cat":"chan","tid":)" + tid + R"(,"name":)" +
                     json_string(std::string(send ? "send " : "recv ") + obj) + R"(,"ts":)" + ts +
                     "}");
                // The n-th send on a FIFO channel is the n-th receive: one flow id joins them.
                std::string id = std::to_string((e.object << 24) ^ e.aux);
                line(std::string(R"({"ph":")") + (send ? "s" : "f") +
                     R"(","bp":"e","pid":1,"cat":"flow","tid":)" + tid + R"(,"id":)" + id +
                     R"(,"name":)" + json_string(obj) + R"(,"ts":)" + ts + "}");
                break;
            }
            case EventKind::chan_close:
                line(R"({"ph":"i","pid":1,"s":"t","cat":"chan","tid":)" + std::to_string(e.task) +
                     R"(,"name":)" + json_string("close " + object_name(e.object)) + R"(,"ts":)" +
                     micros(e.ticks) + "}");
                break;
            case EventKind::deadlock:
                break;
        }
    }

    std::ostream& m_out;
    const TraceNames& m_names;
    std::unordered_map<uint64_t, OpenSlice> m_open;
    std::unordered_map<uint64_t, bool> m_named;
};

}  // namespace

void write_chrome_trace(std::ostream& out, const std::vector<Event>& events,
                        const TraceNames& names) {
    Writer(out, names).write(events);
}

}  // namespace cs::telemetry
