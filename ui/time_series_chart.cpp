#include "time_series_chart.h"

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QPen>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

namespace cs::ui {

TimeSeriesChart::TimeSeriesChart(const QString& title, const QString& unit, QWidget* parent)
    : QWidget(parent),
      m_chart(new QChart),
      m_view(new QChartView(m_chart, this)),
      m_x(new QValueAxis(m_chart)),
      m_y(new QValueAxis(m_chart)) {
    m_chart->setTitle(title);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setBackgroundRoundness(0);
    m_x->setTitleText(tr("scenario time (s)"));
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_x->setRange(0, window_seconds);
    m_y->setTitleText(unit);
    m_y->setLabelFormat(QStringLiteral("%.4g"));
    m_y->setRange(0, 1);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(180);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

QString TimeSeriesChart::title() const {
    return m_chart->title();
}

void TimeSeriesChart::set_x_title(const QString& title) {
    m_x->setTitleText(title);
}

void TimeSeriesChart::set_fixed_y(double low, double high) {
    m_fixed_y = {low, high};
    m_y->setRange(low, high);
}

QLineSeries* TimeSeriesChart::series_named(const QString& name) {
    auto it = m_series.find(name);
    if (it != m_series.end()) return it->second;
    auto* series = new QLineSeries(m_chart);
    series->setName(name);
    m_chart->addSeries(series);
    series->attachAxis(m_x);
    series->attachAxis(m_y);
    QPen pen = series->pen();
    pen.setWidthF(m_line_width);
    series->setPen(pen);
    m_series.emplace(name, series);
    return series;
}

void TimeSeriesChart::set_dashed(const QString& name) {
    QLineSeries* series = series_named(name);
    QPen pen = series->pen();
    pen.setStyle(Qt::DashLine);
    series->setPen(pen);
}

void TimeSeriesChart::append(const QString& name, double seconds, double value) {
    if (!std::isfinite(value) || !std::isfinite(seconds)) return;
    QLineSeries* series = series_named(name);
    const int count = series->count();
    if (count > 0 && series->at(count - 1).x() >= seconds) return;
    series->append(seconds, value);
    // Points older than the window go, but one stays at its left edge so the line reaches it.
    int old = 0;
    while (old + 1 < series->count() && series->at(old + 1).x() < seconds - window_seconds) ++old;
    if (old > 0) series->removePoints(0, old);
    m_latest = std::max(m_latest, seconds);
    fit_axes();
}

void TimeSeriesChart::fit_axes() {
    const double right = std::max(window_seconds, m_latest);
    m_x->setRange(right - window_seconds, right);
    if (m_fixed_y) return;
    double high = 0;
    for (const auto& [name, series] : m_series)
        for (const QPointF& p : series->points()) high = std::max(high, p.y());
    // Headroom, rounded up to a tidy value so the axis does not twitch with every point.
    const double scale = high > 0 ? std::pow(10.0, std::floor(std::log10(high))) : 1;
    const double top = std::ceil(high * 1.1 / scale * 2) / 2 * scale;
    m_y->setRange(0, std::max(top, 1e-9 + (high > 0 ? high : 1)));
}

void TimeSeriesChart::clear() {
    for (const auto& [name, series] : m_series) {
        m_chart->removeSeries(series);
        delete series;
    }
    m_series.clear();
    m_latest = 0;
    fit_axes();
    if (m_fixed_y) m_y->setRange(m_fixed_y->first, m_fixed_y->second);
}

QStringList TimeSeriesChart::series_names() const {
    QStringList names;
    for (const auto& [name, series] : m_series) names << name;
    return names;
}

QList<QPointF> TimeSeriesChart::points(const QString& name) const {
    auto it = m_series.find(name);
    return it == m_series.end() ? QList<QPointF>{} : it->second->points();
}

void TimeSeriesChart::set_presenter(bool on) {
    m_line_width = on ? 4 : 2;
    for (const auto& [name, series] : m_series) {
        QPen pen = series->pen();
        pen.setWidthF(m_line_width);
        series->setPen(pen);
    }
    QFont font = m_chart->titleFont();
    font.setPointSizeF(on ? 16 : 10);
    m_chart->setTitleFont(font);
}

}  // namespace cs::ui

namespace cs::ui {

void TimeSeriesChart::set_dark(bool on) {
    std::map<QString, Qt::PenStyle> styles;  // the theme resets pens: keep widths and dashes
    for (const auto& [name, series] : m_series) styles[name] = series->pen().style();
    m_chart->setTheme(on ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundRoundness(0);
    for (const auto& [name, series] : m_series) {
        QPen pen = series->pen();
        pen.setWidthF(m_line_width);
        pen.setStyle(styles[name]);
        series->setPen(pen);
    }
}

}  // namespace cs::ui
