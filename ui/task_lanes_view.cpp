#include "task_lanes_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "hover_tooltip.h"
#include "snapshot_text.h"
#include "state_palette.h"
#include "telemetry/ticks.h"

namespace cs::ui {
namespace {

constexpr int64_t ns_per_ms = 1'000'000;

QString duration_text(int64_t ns) {
    if (ns < 1'000) return QStringLiteral("%1 ns").arg(ns);
    if (ns < 1'000'000) return QStringLiteral("%1 µs").arg(double(ns) / 1e3, 0, 'f', 1);
    if (ns < 1'000'000'000) return QStringLiteral("%1 ms").arg(double(ns) / 1e6, 0, 'f', 1);
    return QStringLiteral("%1 s").arg(double(ns) / 1e9, 0, 'f', 2);
}

// An axis label: seconds since the run began, as precise as the step between labels needs.
QString axis_text(int64_t ns, int64_t step) {
    if (step >= 1'000'000'000) return QStringLiteral("%1 s").arg(ns / 1'000'000'000);
    const int decimals = step >= 100'000'000 ? 1 : step >= 10'000'000 ? 2 : 3;
    if (step >= 1'000'000) return QStringLiteral("%1 s").arg(double(ns) / 1e9, 0, 'f', decimals);
    return QStringLiteral("%1 ms").arg(double(ns) / 1e6, 0, 'f', step >= 100'000 ? 1 : 3);
}

// A step between axis labels of 1, 2 or 5 times a power of ten, about `target` ns apart.
int64_t nice_step(double target) {
    double power = std::pow(10.0, std::floor(std::log10(std::max(target, 1.0))));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= target) return static_cast<int64_t>(m * power);
    return static_cast<int64_t>(10 * power);
}

}  // namespace

TaskLanesView::TaskLanesView(QWidget* parent) : QAbstractScrollArea(parent) {
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, this,
            &TaskLanesView::on_horizontal_scroll);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(),
            qOverload<>(&QWidget::update));
}

void TaskLanesView::show_snapshot(std::shared_ptr<const telemetry::Snapshot> snapshot) {
    const int64_t now = telemetry::ticks_to_ns(telemetry::now_ticks());
    m_model.update(*snapshot, now);
    if (m_origin_ns == 0 && !m_model.lanes().empty()) m_origin_ns = m_model.first_ns();
    m_last = std::move(snapshot);
    sync_scroll_bars();
    viewport()->update();
}

void TaskLanesView::clear() {
    m_model.clear();
    m_last.reset();
    m_origin_ns = 0;
    follow();
}

void TaskLanesView::set_presenter(bool on) {
    m_lane_height = on ? 30 : 18;
    m_label_width = on ? 260 : 170;
    sync_scroll_bars();
    viewport()->update();
}

int64_t TaskLanesView::end_ns() const noexcept {
    return m_follow ? m_model.now_ns() : m_fixed_end_ns;
}

int TaskLanesView::timeline_width() const {
    return std::max(1, viewport()->width() - m_label_width);
}

double TaskLanesView::x_of(int64_t t) const {
    const int64_t start = end_ns() - m_span_ns;
    return m_label_width + double(t - start) / double(m_span_ns) * timeline_width();
}

int64_t TaskLanesView::time_at(int x) const {
    const int64_t start = end_ns() - m_span_ns;
    return start + static_cast<int64_t>(double(x - m_label_width) / timeline_width() * m_span_ns);
}

int TaskLanesView::lane_at(int y) const {
    if (y < axis_height) return -1;
    const int lane = (y - axis_height) / m_lane_height + verticalScrollBar()->value();
    return lane < static_cast<int>(m_model.lanes().size()) ? lane : -1;
}

void TaskLanesView::zoom(double factor, int anchor_x) {
    const int64_t anchor = time_at(anchor_x);
    const double fraction = double(anchor_x - m_label_width) / timeline_width();
    m_span_ns = std::clamp<int64_t>(static_cast<int64_t>(double(m_span_ns) / factor), min_span_ns,
                                    max_span_ns);
    // Following, the present stays at the right edge; otherwise the time under the pointer stays.
    if (!m_follow)
        m_fixed_end_ns = anchor + static_cast<int64_t>((1 - fraction) * double(m_span_ns));
    sync_scroll_bars();
    viewport()->update();
}

void TaskLanesView::pan_ns(int64_t by) {
    const int64_t end = end_ns() + by;
    if (end >= m_model.now_ns()) {
        follow();
        return;
    }
    m_follow = false;
    m_fixed_end_ns = std::max(end, m_model.first_ns());
    sync_scroll_bars();
    viewport()->update();
}

void TaskLanesView::follow() {
    m_follow = true;
    sync_scroll_bars();
    viewport()->update();
}

void TaskLanesView::sync_scroll_bars() {
    m_syncing = true;
    const int lanes = static_cast<int>(m_model.lanes().size());
    const int visible = std::max(1, (viewport()->height() - axis_height) / m_lane_height);
    verticalScrollBar()->setRange(0, std::max(0, lanes - visible));
    verticalScrollBar()->setPageStep(visible);
    verticalScrollBar()->setSingleStep(1);

    // Horizontal: the right edge's time, in milliseconds since the run began.
    const int64_t origin = m_origin_ns ? m_origin_ns : m_model.now_ns();
    const int low = static_cast<int>((m_model.first_ns() - origin) / ns_per_ms);
    const int high = static_cast<int>((m_model.now_ns() - origin) / ns_per_ms);
    QScrollBar* h = horizontalScrollBar();
    h->setRange(std::min(low, high), high);
    h->setPageStep(static_cast<int>(std::max<int64_t>(1, m_span_ns / ns_per_ms)));
    h->setSingleStep(static_cast<int>(std::max<int64_t>(1, m_span_ns / ns_per_ms / 10)));
    h->setValue(static_cast<int>((end_ns() - origin) / ns_per_ms));
    m_syncing = false;
}

void TaskLanesView::on_horizontal_scroll(int value) {
    if (m_syncing) return;
    const int64_t origin = m_origin_ns ? m_origin_ns : m_model.now_ns();
    if (value >= horizontalScrollBar()->maximum()) {
        follow();
        return;
    }
    m_follow = false;
    m_fixed_end_ns = origin + int64_t(value) * ns_per_ms;
    viewport()->update();
}

void TaskLanesView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    const QRect area = viewport()->rect();
    p.fillRect(area, palette().base());
    const QColor ink = palette().text().color();
    const QColor faint = palette().placeholderText().color();
    const int64_t end = end_ns(), start = end - m_span_ns;

    // Time axis: seconds since the run began.
    const int64_t origin = m_origin_ns ? m_origin_ns : m_model.now_ns();
    const int64_t step = nice_step(double(m_span_ns) / std::max(1, timeline_width() / 110));
    p.setPen(faint);
    for (int64_t t = ((start - origin) / step) * step + origin; t <= end; t += step) {
        const double x = x_of(t);
        if (x < m_label_width || t < origin) continue;
        p.drawLine(QPointF(x, axis_height - 4), QPointF(x, area.bottom()));
        p.drawText(QRectF(x + 3, 0, 100, axis_height), Qt::AlignLeft | Qt::AlignVCenter,
                   axis_text(t - origin, step));
    }

    const auto& lanes = m_model.lanes();
    const int first = verticalScrollBar()->value();
    const int last = std::min<int>(static_cast<int>(lanes.size()),
                                   first + (area.height() - axis_height) / m_lane_height + 2);
    const int bar = std::max(4, m_lane_height - 6);
    for (int i = first; i < last; ++i) {
        const TaskLane& lane = lanes[size_t(i)];
        const int y = axis_height + (i - first) * m_lane_height;
        if (i % 2) p.fillRect(QRect(0, y, area.width(), m_lane_height), palette().alternateBase());
        p.setPen(ink);
        const QString name = lane.name.empty() ? QStringLiteral("task-%1").arg(lane.task)
                                               : QString::fromStdString(lane.name);
        p.drawText(QRect(4, y, m_label_width - 8, m_lane_height), Qt::AlignLeft | Qt::AlignVCenter,
                   fontMetrics().elidedText(name, Qt::ElideRight, m_label_width - 8));

        // From the segment in force at the left edge to the last that starts before the right.
        auto from =
            std::upper_bound(lane.segments.begin(), lane.segments.end(), start,
                             [](int64_t t, const LaneSegment& s) { return t < s.start_ns; });
        if (from != lane.segments.begin()) --from;
        double drawn_to = m_label_width;  // segments narrower than a pixel share one
        for (auto it = from; it != lane.segments.end() && it->start_ns <= end; ++it) {
            if (it->state == rt::TaskState::done) break;
            const auto next = std::next(it);
            const int64_t seg_end = next != lane.segments.end()
                                        ? next->start_ns
                                        : (lane.done ? lane.end_ns : m_model.now_ns());
            const double x0 = std::max(x_of(it->start_ns), double(m_label_width));
            const double x1 = std::min(x_of(seg_end), double(area.right()));
            if (x1 < drawn_to || x1 <= x0 - 1) continue;
            const double left = std::max(x0, drawn_to);
            p.fillRect(QRectF(left, y + (m_lane_height - bar) / 2.0, std::max(1.0, x1 - left), bar),
                       mark_colour(it->state, it->reason));
            drawn_to = std::max(left + 1, x1);
        }
    }
    if (lanes.empty()) {
        p.setPen(faint);
        p.drawText(area, Qt::AlignCenter, tr("No tasks yet."));
    }
    p.setPen(faint);
    p.drawLine(m_label_width, 0, m_label_width, area.bottom());
}

QString TaskLanesView::tooltip_at(QPoint pos) const {
    const int index = lane_at(pos.y());
    if (index < 0 || pos.x() < m_label_width) return {};
    const TaskLane& lane = m_model.lanes()[size_t(index)];
    const int64_t t = time_at(pos.x());
    int64_t until = 0;
    const LaneSegment* s = lane.segment_at(t, m_model.now_ns(), &until);
    const QString name = lane.name.empty() ? QStringLiteral("task-%1").arg(lane.task)
                                           : QString::fromStdString(lane.name);
    if (!s) return QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped());
    QString what = state_text(s->state);
    if (s->state == rt::TaskState::blocked && m_last) {
        const telemetry::TaskInfo info{lane.task, lane.name, s->state, s->reason, s->object};
        what += QStringLiteral(": ") + WaitDescriber(*m_last).describe(info);
    }
    const int64_t origin = m_origin_ns ? m_origin_ns : m_model.now_ns();
    return tr("<b>%1</b><br>%2<br>for %3 (from %4 to %5)")
        .arg(name.toHtmlEscaped(), what.toHtmlEscaped(), duration_text(until - s->start_ns),
             duration_text(s->start_ns - origin),
             until == m_model.now_ns() && !lane.done ? tr("now") : duration_text(until - origin));
}

bool TaskLanesView::viewportEvent(QEvent* event) {
    if (answer_tooltip(event, viewport(), [this](QPoint at) { return tooltip_at(at); })) return true;
    return QAbstractScrollArea::viewportEvent(event);
}

void TaskLanesView::wheelEvent(QWheelEvent* event) {
    const int delta = event->angleDelta().y();
    if (event->modifiers() & Qt::ControlModifier) {
        zoom(std::pow(1.2, delta / 120.0), int(event->position().x()));
    } else if (event->modifiers() & Qt::ShiftModifier) {
        pan_ns(-static_cast<int64_t>(double(m_span_ns) * delta / 1200.0));
    } else {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    event->accept();
}

void TaskLanesView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) m_drag_x = int(event->position().x());
    QAbstractScrollArea::mousePressEvent(event);
}

void TaskLanesView::mouseMoveEvent(QMouseEvent* event) {
    if ((event->buttons() & Qt::LeftButton) && m_drag_x >= 0) {
        const int x = int(event->position().x());
        pan_ns(-static_cast<int64_t>(double(x - m_drag_x) / timeline_width() * double(m_span_ns)));
        m_drag_x = x;
    }
    QAbstractScrollArea::mouseMoveEvent(event);
}

void TaskLanesView::mouseDoubleClickEvent(QMouseEvent* event) {
    follow();
    event->accept();
}

void TaskLanesView::keyPressEvent(QKeyEvent* event) {
    const int middle = m_label_width + timeline_width() / 2;
    switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            zoom(2, middle);
            break;
        case Qt::Key_Minus:
            zoom(0.5, middle);
            break;
        case Qt::Key_End:
            follow();
            break;
        case Qt::Key_Home:
            pan_ns(m_model.first_ns() + m_span_ns - end_ns());
            break;
        default:
            QAbstractScrollArea::keyPressEvent(event);
            return;
    }
    event->accept();
}

void TaskLanesView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    sync_scroll_bars();
}

}  // namespace cs::ui
