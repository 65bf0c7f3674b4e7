#pragma once
// LimiterPanel: the running scenario's token-bucket rate limiters over time — the token level
// against the burst (a dashed line), and requests allowed and denied per second. Limiters
// without a limit (infinite rate) are left out.
#include "metric_panel.h"

namespace cs::ui {

class LimiterPanel : public MetricPanel {
    Q_OBJECT

  public:
    explicit LimiterPanel(QWidget* parent = nullptr);

    TimeSeriesChart* tokens() const noexcept { return m_tokens; }
    TimeSeriesChart* decisions() const noexcept { return m_decisions; }

  protected:
    bool chart(const telemetry::Snapshot& snapshot, double seconds, double elapsed) override;

  private:
    TimeSeriesChart* m_tokens;
    TimeSeriesChart* m_decisions;
};

}  // namespace cs::ui
