#include "metric_panel.h"

#include <QLabel>
#include <QStackedLayout>
#include <QTabWidget>

#include "time_series_chart.h"

namespace cs::ui {

MetricPanel::MetricPanel(const QString& nothing, QWidget* parent)
    : QWidget(parent),
      m_stack(new QStackedLayout(this)),
      m_tabs(new QTabWidget(this)),
      m_nothing(new QLabel(nothing, this)) {
    m_nothing->setAlignment(Qt::AlignCenter);
    m_nothing->setWordWrap(true);
    m_tabs->setDocumentMode(true);
    m_stack->addWidget(m_nothing);
    m_stack->addWidget(m_tabs);
}

TimeSeriesChart* MetricPanel::add_chart(const QString& title, const QString& unit) {
    auto* chart = new TimeSeriesChart(title, unit, m_tabs);
    m_tabs->addTab(chart, title);
    m_charts.push_back(chart);
    return chart;
}

void MetricPanel::show_snapshot(const telemetry::Snapshot& snapshot) {
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last_chart < m_min_interval) return;
    const double seconds = std::chrono::duration<double>(snapshot.time.time_since_epoch()).count();
    if (seconds <= m_last_seconds) return;  // paused: nothing new to chart
    m_last_chart = now;
    const double elapsed = m_last_seconds < 0 ? 0 : seconds - m_last_seconds;
    m_last_seconds = seconds;
    const bool has_data = chart(snapshot, seconds, elapsed);
    if (has_data != m_has_data || m_stack->currentIndex() != (has_data ? 1 : 0)) {
        m_has_data = has_data;
        m_stack->setCurrentIndex(has_data ? 1 : 0);
    }
}

double MetricPanel::rate(uint64_t id, const std::string& counter, uint64_t value, double elapsed) {
    auto [it, first] = m_last_counts.try_emplace({id, counter}, value);
    const uint64_t before = it->second;
    it->second = value;
    if (first || elapsed <= 0 || value < before) return 0;
    return double(value - before) / elapsed;
}

void MetricPanel::clear() {
    for (TimeSeriesChart* c : m_charts) c->clear();
    m_last_counts.clear();
    m_last_seconds = -1;
    m_last_chart = {};
    m_has_data = false;
    m_stack->setCurrentIndex(0);
}

void MetricPanel::set_dark(bool on) {
    for (TimeSeriesChart* c : m_charts) c->set_dark(on);
}

void MetricPanel::set_presenter(bool on) {
    for (TimeSeriesChart* c : m_charts) c->set_presenter(on);
    QFont font = m_nothing->font();
    font.setPointSizeF(on ? 16 : 10);
    m_nothing->setFont(font);
}

}  // namespace cs::ui
