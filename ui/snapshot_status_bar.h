#pragma once
// SnapshotStatusBar: the main window's status bar, summarising one snapshot — how many tasks and
// in which states, the channels' fill ("jobs 5/8"), the engine clock, the speed (and whether
// paused), telemetry events dropped so far and tasks that ended with an error.
#include <QStatusBar>
#include <QStringList>

#include "telemetry/snapshot.h"

class QLabel;

namespace cs::ui {

class SnapshotStatusBar : public QStatusBar {
    Q_OBJECT

  public:
    explicit SnapshotStatusBar(QWidget* parent = nullptr);

    // The channels the summary names, in order; empty: every channel that is not internal.
    void set_watched_channels(QStringList names) { m_watched = std::move(names); }
    void show_snapshot(const telemetry::Snapshot& snapshot);

  private:
    QLabel* add_section(const QString& tool_tip);

    QStringList m_watched;
    QLabel* m_tasks;
    QLabel* m_channels;
    QLabel* m_clock;
    QLabel* m_speed;
    QLabel* m_dropped;
};

}  // namespace cs::ui
