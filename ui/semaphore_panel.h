#pragma once
// SemaphorePanel: the running scenario's weighted semaphores over time — units held against the
// size (a dashed line), and tasks waiting for units.
#include "metric_panel.h"

namespace cs::ui {

class SemaphorePanel : public MetricPanel {
    Q_OBJECT

  public:
    explicit SemaphorePanel(QWidget* parent = nullptr);

    TimeSeriesChart* held() const noexcept { return m_held; }
    TimeSeriesChart* waiters() const noexcept { return m_waiters; }

  protected:
    bool chart(const telemetry::Snapshot& snapshot, double seconds, double elapsed) override;

  private:
    TimeSeriesChart* m_held;
    TimeSeriesChart* m_waiters;
};

}  // namespace cs::ui
