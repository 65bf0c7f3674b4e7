#pragma once
// CachePanel: the running scenario's caches over time — hit ratio (over each charted interval,
// per cache), hits and misses per second, load latency (p50 and p99 of every load so far), and
// removals per second by cause (size, expired, invalidated...).
#include "metric_panel.h"

namespace cs::ui {

class CachePanel : public MetricPanel {
    Q_OBJECT

  public:
    explicit CachePanel(QWidget* parent = nullptr);

    TimeSeriesChart* hit_ratio() const noexcept { return m_hit_ratio; }
    TimeSeriesChart* requests() const noexcept { return m_requests; }
    TimeSeriesChart* load_latency() const noexcept { return m_latency; }
    TimeSeriesChart* removals() const noexcept { return m_removals; }

  protected:
    bool chart(const telemetry::Snapshot& snapshot, double seconds, double elapsed) override;

  private:
    TimeSeriesChart* m_hit_ratio;
    TimeSeriesChart* m_requests;
    TimeSeriesChart* m_latency;
    TimeSeriesChart* m_removals;
};

}  // namespace cs::ui
