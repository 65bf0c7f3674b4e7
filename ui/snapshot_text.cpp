#include "snapshot_text.h"

#include <chrono>

namespace cs::ui {

QString state_text(rt::TaskState state) {
    return QString::fromLatin1(rt::to_string(state));
}

QString clock_text(rt::TimePoint time) {
    double seconds = std::chrono::duration<double>(time.time_since_epoch()).count();
    return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
}

WaitDescriber::WaitDescriber(const telemetry::Snapshot& snapshot) {
    auto name_of = [](const std::string& name, uint64_t id) {
        return name.empty() ? QStringLiteral("#%1").arg(id) : QString::fromStdString(name);
    };
    m_objects.reserve(snapshot.channels.size() + snapshot.semaphores.size() +
                      snapshot.limiters.size());
    for (const auto& c : snapshot.channels) {
        m_objects.emplace(c.id, Object{QStringLiteral("chan"), name_of(c.name, c.id)});
    }
    for (const auto& s : snapshot.semaphores) {
        m_objects.emplace(s.id, Object{QStringLiteral("semaphore"), name_of(s.name, s.id)});
    }
    for (const auto& l : snapshot.limiters) {
        m_objects.emplace(l.id, Object{QStringLiteral("limiter"), name_of(l.name, l.id)});
    }
    // Objects the lists above do not cover (mutexes, wait groups) are named by the report.
    if (snapshot.deadlock) {
        for (const auto& w : snapshot.deadlock->waiters) {
            if (w.object_id != 0 && !w.object_name.empty()) {
                m_objects.emplace(w.object_id, Object{{}, QString::fromStdString(w.object_name)});
            }
        }
    }
}

QString WaitDescriber::describe(const telemetry::TaskInfo& task) const {
    if (task.state != rt::TaskState::blocked) return no_value;
    const QString reason = QString::fromLatin1(rt::to_string(task.reason));
    if (task.wait_object == 0) {
        bool on_channel =
            task.reason == rt::WaitReason::send || task.reason == rt::WaitReason::recv;
        return on_channel ? reason + QStringLiteral(" nil channel") : reason;
    }
    auto it = m_objects.find(task.wait_object);
    if (it == m_objects.end()) return reason + QStringLiteral(" #%1").arg(task.wait_object);
    const Object& o = it->second;
    const QString full = o.kind.isEmpty() ? o.name : o.kind + u' ' + o.name;
    // "semaphore" + "semaphore db-slots" says it once: "semaphore db-slots".
    if (full.startsWith(reason + u' ')) return full;
    return reason + u' ' + full;
}

namespace {

QString fill_text(const telemetry::ChannelInfo& c) {
    QString text =
        QStringLiteral("%1 %2/%3")
            .arg(c.name.empty() ? QStringLiteral("#%1").arg(c.id) : QString::fromStdString(c.name))
            .arg(c.len)
            .arg(c.cap);
    if (c.closed) text += QStringLiteral(" (closed)");
    return text;
}

}  // namespace

QString channel_summary(const telemetry::Snapshot& snapshot, const QStringList& watched) {
    QStringList parts;
    if (watched.isEmpty()) {
        for (const auto& c : snapshot.channels) {
            if (!c.internal) parts << fill_text(c);  // timers' and contexts' plumbing stays out
        }
    } else {
        for (const QString& name : watched) {
            const std::string wanted = name.toStdString();
            for (const auto& c : snapshot.channels) {
                if (c.name == wanted) parts << fill_text(c);
            }
        }
    }
    return parts.isEmpty() ? no_value : parts.join(QStringLiteral(" · "));
}

}  // namespace cs::ui
