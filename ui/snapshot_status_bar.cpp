#include "snapshot_status_bar.h"

#include <QLabel>

#include "snapshot_text.h"

namespace cs::ui {

SnapshotStatusBar::SnapshotStatusBar(QWidget* parent) : QStatusBar(parent) {
    m_tasks = add_section(tr("Live tasks, by state"));
    m_channels = add_section(tr("Channels: items buffered / capacity"));
    m_clock = add_section(tr("Engine clock: time since the engine started"));
    m_speed = add_section(tr("Clock speed"));
    m_dropped = add_section(tr("Telemetry events lost because a reader fell behind"));
}

QLabel* SnapshotStatusBar::add_section(const QString& tool_tip) {
    auto* label = new QLabel(this);
    label->setToolTip(tool_tip);
    label->setContentsMargins(6, 0, 6, 0);
    addPermanentWidget(label);
    return label;
}

namespace {

void set_text(QLabel* label, const QString& text) {
    if (label->text() != text) label->setText(text);
}

}  // namespace

void SnapshotStatusBar::show_snapshot(const telemetry::Snapshot& s) {
    QString tasks = (s.tasks.size() == 1 ? tr("1 task") : tr("%1 tasks").arg(s.tasks.size())) +
                    tr(": %1 running · %2 runnable · %3 blocked")
                        .arg(s.count_in_state(rt::TaskState::running))
                        .arg(s.count_in_state(rt::TaskState::runnable))
                        .arg(s.count_in_state(rt::TaskState::blocked));
    if (s.task_errors > 0) tasks += tr(" · %1 failed").arg(s.task_errors);
    set_text(m_tasks, tasks);
    set_text(m_channels, tr("Channels: %1").arg(channel_summary(s, m_watched)));
    set_text(m_clock, tr("Clock: %1").arg(clock_text(s.time)));
    QString speed = tr("Speed: %1×").arg(s.speed, 0, 'g', 3);
    if (s.paused) speed += tr(" (paused)");
    set_text(m_speed, speed);
    set_text(m_dropped, tr("Dropped events: %1").arg(s.dropped_events));
}

}  // namespace cs::ui
