#pragma once
// TimeSeriesChart: a QtCharts line chart of named series over scenario time, keeping the last
// `window_seconds`: the x axis follows the present and the y axis fits what is shown (or stays
// on a fixed range, such as 0..100 for a percentage). Series appear on their first point.
//
//   TimeSeriesChart chart(tr("Hit ratio"), tr("%"));
//   chart.set_fixed_y(0, 100);
//   chart.append(QStringLiteral("app"), 12.5, 87.0);   // at 12.5 s of scenario time
#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>
#include <map>
#include <optional>
#include <utility>

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace cs::ui {

class TimeSeriesChart : public QWidget {
    Q_OBJECT

  public:
    static constexpr double window_seconds = 60;

    TimeSeriesChart(const QString& title, const QString& unit, QWidget* parent = nullptr);

    void set_fixed_y(double low, double high);
    void set_x_title(const QString& title);  // "scenario time (s)" unless set
    // A point of `series`; points not later than its last are ignored (a paused clock).
    void append(const QString& series, double seconds, double value);
    // A dashed reference line (a limit, a size), drawn like a series.
    void set_dashed(const QString& series);
    void clear();

    QString title() const;
    QStringList series_names() const;
    QList<QPointF> points(const QString& series) const;  // empty for an unknown series
    void set_presenter(bool on);
    void set_dark(bool on);

  private:
    QLineSeries* series_named(const QString& name);
    void fit_axes();

    QChart* m_chart;
    QChartView* m_view;
    QValueAxis* m_x;
    QValueAxis* m_y;
    std::map<QString, QLineSeries*> m_series;
    std::optional<std::pair<double, double>> m_fixed_y;
    double m_latest = 0;
    double m_line_width = 2;
};

}  // namespace cs::ui
