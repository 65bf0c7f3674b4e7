#pragma once
// How the views put snapshot facts into words: what a task waits on ("recv chan jobs",
// "semaphore db-slots"), a task state, the clock, a channel's fill ("jobs 5/8").
#include <QString>
#include <QStringList>
#include <cstdint>
#include <unordered_map>

#include "telemetry/snapshot.h"

namespace cs::ui {

// Shown where there is nothing to show (a task that is not blocked).
inline const QString no_value = QStringLiteral("—");

QString state_text(rt::TaskState state);

// The engine clock as seconds since the engine started: "12.3 s".
QString clock_text(rt::TimePoint time);

// Names the objects of one snapshot by telemetry id, to describe what tasks wait on. Cheap to
// build once per snapshot; lookups are O(1).
class WaitDescriber {
  public:
    explicit WaitDescriber(const telemetry::Snapshot& snapshot);

    // "recv chan jobs", "send chan results", "semaphore db-slots", "limiter producer-rate",
    // "sleep", "recv nil channel"; "—" when the task is not blocked.
    QString describe(const telemetry::TaskInfo& task) const;

  private:
    struct Object {
        QString kind;  // "chan", "semaphore", "limiter", or "" when only a full name is known
        QString name;  // "jobs", or the full "wait group #7" when kind is ""
    };
    std::unordered_map<uint64_t, Object> m_objects;
};


// "jobs 5/8 · results 0/4 (closed)": the channels named in `watched`, in that order, or, when
// `watched` is empty, every channel that is not internal. Unbuffered channels show "0/0".
QString channel_summary(const telemetry::Snapshot& snapshot, const QStringList& watched);

}  // namespace cs::ui
