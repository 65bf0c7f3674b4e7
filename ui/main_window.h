#pragma once
// MainWindow: the interim ChanScope window — the engine's live tasks in a sortable table, a red
// deadlock banner above it when the engine reports one, a status bar summarising the snapshot,
// a playback toolbar (Play/Pause, Step, Speed) and a dockable Redis panel (a live Redis's health
// and numbers). A ~30 Hz timer takes a snapshot and shows
// it; the window never waits on the engine's tasks, and its commands (pause, resume, step,
// speed) are the engine's thread-safe controls.
//
//   cs::Engine engine;
//   cs::ui::MainWindow window(engine);
//   window.show();
//
// The engine must outlive the window.
#include <QMainWindow>
#include <QStringList>
#include <chrono>

namespace cs {
class Engine;
}

class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace cs::ui {

class DeadlockBanner;
class PlaybackToolBar;
class RedisPanel;
class SnapshotStatusBar;
class TaskTableModel;

class MainWindow : public QMainWindow {
    Q_OBJECT

  public:
    static constexpr std::chrono::milliseconds refresh_interval{33};

    explicit MainWindow(Engine& engine, QWidget* parent = nullptr);

    // The channels the status bar names ("jobs", "results"); empty: all but internal ones.
    void set_watched_channels(QStringList names);
    // Takes a snapshot and shows it (the refresh timer calls this).
    void refresh();

    TaskTableModel* task_model() const noexcept { return m_model; }
    QTableView* task_view() const noexcept { return m_view; }
    PlaybackToolBar* playback() const noexcept { return m_playback; }
    DeadlockBanner* deadlock_banner() const noexcept { return m_banner; }
    SnapshotStatusBar* snapshot_status() const noexcept { return m_status; }
    RedisPanel* redis_panel() const noexcept { return m_redis; }

  private:
    void build_table();
    void pause();
    void resume();
    void step();
    void set_speed(double speed);

    Engine& m_engine;
    TaskTableModel* m_model;
    QSortFilterProxyModel* m_sorted;
    QTableView* m_view;
    DeadlockBanner* m_banner;
    PlaybackToolBar* m_playback;
    SnapshotStatusBar* m_status;
    RedisPanel* m_redis;
    QTimer* m_timer;
};

}  // namespace cs::ui
