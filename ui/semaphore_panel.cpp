#include "semaphore_panel.h"

#include "time_series_chart.h"

namespace cs::ui {

SemaphorePanel::SemaphorePanel(QWidget* parent)
    : MetricPanel(tr("This scenario has no semaphore. Try semaphore_weighted."), parent),
      m_held(add_chart(tr("Units held"), tr("units"))),
      m_waiters(add_chart(tr("Waiting tasks"), tr("tasks"))) {}

bool SemaphorePanel::chart(const telemetry::Snapshot& snapshot, double seconds, double) {
    for (const telemetry::SemaphoreInfo& s : snapshot.semaphores) {
        const QString name = QString::fromStdString(s.name);
        m_held->append(name, seconds, double(s.held));
        const QString size = name + tr(" size");
        m_held->append(size, seconds, double(s.size));
        m_held->set_dashed(size);
        m_waiters->append(name, seconds, double(s.waiters));
    }
    return !snapshot.semaphores.empty();
}

}  // namespace cs::ui
