#pragma once
// MetricPanel: the base of the chart docks (caches, rate limiters, semaphores). It charts
// snapshots at most `chart_hz` times a second of real time — a chart point per 33 ms frame would
// cost more than it shows — turns counters into rates over scenario time, and says so when the
// running scenario has nothing of its kind.
#include <QString>
#include <QWidget>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "telemetry/snapshot.h"

class QLabel;
class QStackedLayout;
class QTabWidget;

namespace cs::ui {

class TimeSeriesChart;

class MetricPanel : public QWidget {
    Q_OBJECT

  public:
    static constexpr int chart_hz = 5;

    // `nothing` is shown while the scenario has none of what the panel charts.
    MetricPanel(const QString& nothing, QWidget* parent = nullptr);

    void show_snapshot(const telemetry::Snapshot& snapshot);
    void clear();  // a new run
    void set_presenter(bool on);
    void set_dark(bool on);
    // Real time between charted snapshots (1/chart_hz s); tests chart every one with 0.
    void set_min_interval(std::chrono::milliseconds interval) { m_min_interval = interval; }
    const std::vector<TimeSeriesChart*>& charts() const noexcept { return m_charts; }
    bool has_data() const noexcept { return m_has_data; }

  protected:
    TimeSeriesChart* add_chart(const QString& title, const QString& unit);
    // Charts one snapshot; false if it holds nothing for this panel. `seconds` is its scenario
    // time, `elapsed` the scenario time since the last charted one (0 for the first).
    virtual bool chart(const telemetry::Snapshot& snapshot, double seconds, double elapsed) = 0;
    // Per second: how much `counter` (keyed by object id and name) grew since the last call.
    double rate(uint64_t id, const std::string& counter, uint64_t value, double elapsed);

  private:
    QStackedLayout* m_stack;
    QTabWidget* m_tabs;
    QLabel* m_nothing;
    std::vector<TimeSeriesChart*> m_charts;
    std::map<std::pair<uint64_t, std::string>, uint64_t> m_last_counts;
    std::chrono::milliseconds m_min_interval{1000 / chart_hz};
    std::chrono::steady_clock::time_point m_last_chart{};
    double m_last_seconds = -1;
    bool m_has_data = false;
};

}  // namespace cs::ui
