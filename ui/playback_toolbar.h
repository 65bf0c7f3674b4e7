#pragma once
// PlaybackToolBar: Play/Pause (Space), Step (Right arrow; only while paused), the clock speed
// (0.05× .. 10×; [ halves it, ] doubles it), Stop (drain: the sources stop and what is in flight
// finishes; Ctrl+.), Cancel (everything stops now; Ctrl+Shift+.) and Reset (the lesson again
// from the start; Ctrl+R). It only asks: the window turns its signals into engine calls, and sync()
// shows what the engine's latest snapshot says (paused or not, the speed), so the toolbar never
// disagrees with the engine.
#include <QToolBar>

class QAction;
class QDoubleSpinBox;

namespace cs::ui {

class PlaybackToolBar : public QToolBar {
    Q_OBJECT

  public:
    explicit PlaybackToolBar(QWidget* parent = nullptr);

    // Shows the engine's state without emitting the request signals.
    void sync(bool paused, double speed);
    bool paused() const noexcept { return m_paused; }

    QAction* play_pause_action() const noexcept { return m_play_pause; }
    QAction* step_action() const noexcept { return m_step; }
    QDoubleSpinBox* speed_box() const noexcept { return m_speed; }
    QAction* slower_action() const noexcept { return m_slower; }
    QAction* faster_action() const noexcept { return m_faster; }
    QAction* drain_action() const noexcept { return m_drain; }
    QAction* cancel_action() const noexcept { return m_cancel; }
    QAction* reset_action() const noexcept { return m_reset; }

  Q_SIGNALS:
    void pause_requested();
    void resume_requested();
    void step_requested();
    void speed_requested(double speed);
    void stop_requested(bool drain);
    void reset_requested();

  private:
    void on_play_pause();
    void show_paused(bool paused);

    QAction* m_play_pause;
    QAction* m_step;
    QDoubleSpinBox* m_speed;
    QAction* m_slower;
    QAction* m_faster;
    QAction* m_drain;
    QAction* m_cancel;
    QAction* m_reset;
    bool m_paused = false;
};

}  // namespace cs::ui
