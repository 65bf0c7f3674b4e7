#pragma once
// TaskLanesView: one lane per task, a timeline of its states — running, runnable, blocked (by
// what: a channel, the clock, a budget, a lock, I/O, other tasks), done — that scrolls with live
// data. Only the lanes in sight are drawn, so 10,000 tasks scroll as smoothly as ten.
//
// Ctrl+wheel (or + and -) zooms around the pointer, dragging or Shift+wheel pans back in time,
// End (or a double-click) follows the present again. Hovering a lane says what the task did
// then: the state, what it waited on and for how long.
//
//   lanes->show_snapshot(snapshot);   // on every refresh
//   lanes->clear();                   // when another run starts
#include <QAbstractScrollArea>
#include <memory>

#include "task_lanes_model.h"

namespace cs::ui {

class TaskLanesView : public QAbstractScrollArea {
    Q_OBJECT

  public:
    static constexpr int64_t min_span_ns = 1'000'000;        // 1 ms across
    static constexpr int64_t max_span_ns = 120'000'000'000;  // two minutes
    static constexpr int64_t default_span_ns = 10'000'000'000;

    explicit TaskLanesView(QWidget* parent = nullptr);

    void show_snapshot(std::shared_ptr<const telemetry::Snapshot> snapshot);
    void clear();
    void set_presenter(bool on);

    const TaskLanesModel& model() const noexcept { return m_model; }
    int64_t span_ns() const noexcept { return m_span_ns; }
    int64_t end_ns() const noexcept;  // the time at the right edge
    bool following() const noexcept { return m_follow; }

    // Zooms by `factor` (> 1: closer) keeping the time under viewport x `anchor_x` in place.
    void zoom(double factor, int anchor_x);
    // Moves the view back (negative) or forward in time; moving back stops following.
    void pan_ns(int64_t by);
    void follow();

    // The lane at viewport y (-1: none), the time at viewport x, and what hovering says.
    int lane_at(int y) const;
    int64_t time_at(int x) const;
    double x_of(int64_t t) const;  // viewport x of time t
    QString tooltip_at(QPoint viewport_pos) const;
    int lane_height() const noexcept { return m_lane_height; }
    int label_width() const noexcept { return m_label_width; }

    QSize sizeHint() const override { return {720, 240}; }

  protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

  private:
    void sync_scroll_bars();
    void on_horizontal_scroll(int value);
    int timeline_width() const;

    TaskLanesModel m_model;
    std::shared_ptr<const telemetry::Snapshot> m_last;  // to name what tasks wait on, on hover
    int64_t m_origin_ns = 0;  // time 0 on the axis: when this run's first lane began
    int64_t m_span_ns = default_span_ns;
    int64_t m_fixed_end_ns = 0;  // the right edge while not following
    bool m_follow = true;
    bool m_syncing = false;  // moving the scroll bars ourselves
    int m_drag_x = -1;
    int m_lane_height = 18;
    int m_label_width = 170;
    static constexpr int axis_height = 20;
};

}  // namespace cs::ui
