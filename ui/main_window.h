#pragma once
// MainWindow: the ChanScope window — the scenario library at the left (ScenarioBrowser) above
// the running lesson's text (LessonView); in the
// centre the running scenario's topology (TopologyView) above its tasks, as lanes over time
// (TaskLanesView) or as a sortable table; a red deadlock banner above them when the engine
// reports one; at the right the live parameters (ParameterInspector) above tabbed docks — the
// cache, rate limiter and semaphore charts, the invalidation log and a Redis panel; a
// playback toolbar (Play/Pause, Step, Speed) and a status bar summarising the snapshot. A ~30 Hz
// timer takes a snapshot and shows it; the window never waits on the engine's tasks, and its
// commands (pause, resume, step, speed) are the engine's thread-safe controls.
//
//   cs::ui::MainWindow window;
//   window.open_scenario(QStringLiteral("worker_pool"));   // runs it; false: shown why not
//   window.show();
//
// It can also watch an engine it does not own (tests): MainWindow window(engine), which must
// outlive the window.
#include <QMainWindow>
#include <QString>
#include <QStringList>
#include <chrono>

#include <memory>

#include "appearance.h"
#include "frame_stats.h"
#include "scenario_run.h"

namespace cs {
class Engine;
}

class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace cs::ui {

class CachePanel;
class DeadlockBanner;
class InvalidationLog;
class LessonView;
class LimiterPanel;
class SemaphorePanel;
class ParameterInspector;
class PlaybackToolBar;
class RedisPanel;
class ScenarioBrowser;
class SnapshotStatusBar;
class TaskLanesView;
class TaskTableModel;
class TopologyView;

class MainWindow : public QMainWindow {
    Q_OBJECT

  public:
    static constexpr std::chrono::milliseconds refresh_interval{33};

    explicit MainWindow(QWidget* parent = nullptr);
    explicit MainWindow(Engine& engine, QWidget* parent = nullptr);
    ~MainWindow() override;

    // How scenarios run from now on (the speed they start at, the Redis they use).
    void set_run_settings(RunSettings settings);
    // Runs a scenario file or a built-in one in place of the current run. False when it cannot
    // (the reason is shown in the scenario browser, and the current run goes on).
    bool open_scenario(const QString& file_or_name);
    // The engine the views show (a scenario's, or one given); null: none.
    Engine* engine() const noexcept { return m_engine; }
    const ScenarioRun& run() const noexcept { return *m_run; }

    // Takes a snapshot and shows it (the refresh timer calls this).
    void refresh();

    const FrameStats& frame_stats() const noexcept { return m_frames; }

    // Presenter mode (large type, high contrast, thick lines) and the theme; kept in QSettings.
    void set_appearance(Appearance appearance);
    Appearance appearance() const noexcept { return m_appearance; }

    // Exports; false (with the reason in the status bar) if the file cannot be written.
    bool export_png(const QString& file);  // the window as it is now
    bool export_csv(const QString& file);  // every chart's points: chart,series,seconds,value
    // Starts recording the run's events for a Chrome trace (Perfetto), or writes what was
    // recorded and stops.
    void start_trace();
    bool export_trace(const QString& file);
    bool tracing() const noexcept { return m_tracing; }

    // Files opened lately, newest first (kept in QSettings).
    QStringList recent_files() const;
    // Restores the window layout and appearance saved by the last session, if any.
    void restore_settings();
    void save_settings() const;

    TaskTableModel* task_model() const noexcept { return m_model; }
    QTableView* task_view() const noexcept { return m_view; }
    PlaybackToolBar* playback() const noexcept { return m_playback; }
    DeadlockBanner* deadlock_banner() const noexcept { return m_banner; }
    SnapshotStatusBar* snapshot_status() const noexcept { return m_status; }
    RedisPanel* redis_panel() const noexcept { return m_redis; }
    ScenarioBrowser* scenario_browser() const noexcept { return m_browser; }
    ParameterInspector* parameter_inspector() const noexcept { return m_inspector; }
    TopologyView* topology_view() const noexcept { return m_topology; }
    TaskLanesView* task_lanes() const noexcept { return m_lanes; }
    CachePanel* cache_panel() const noexcept { return m_cache_panel; }
    LimiterPanel* limiter_panel() const noexcept { return m_limiter_panel; }
    SemaphorePanel* semaphore_panel() const noexcept { return m_semaphore_panel; }
    InvalidationLog* invalidation_log() const noexcept { return m_invalidations; }
    LessonView* lesson_view() const noexcept { return m_lesson; }

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    void build_menus();
    static QString shortcuts_text();
    void add_recent_file(const QString& file);
    void fill_recent_menu();
    void stop_run(bool drain);
    void build_table();
    void build_docks();
    void show_docks_for(const scenario::Scenario& s);
    void watch(Engine* engine);
    void pause();
    void resume();
    void step();
    void set_speed(double speed);

    std::unique_ptr<ScenarioRun> m_run;
    RunSettings m_settings;
    Engine* m_engine = nullptr;
    ScenarioBrowser* m_browser;
    LessonView* m_lesson;
    ParameterInspector* m_inspector;
    TopologyView* m_topology;
    TaskLanesView* m_lanes;
    TaskTableModel* m_model;
    QSortFilterProxyModel* m_sorted;
    QTableView* m_view;
    DeadlockBanner* m_banner;
    PlaybackToolBar* m_playback;
    SnapshotStatusBar* m_status;
    RedisPanel* m_redis;
    CachePanel* m_cache_panel;
    LimiterPanel* m_limiter_panel;
    SemaphorePanel* m_semaphore_panel;
    InvalidationLog* m_invalidations;
    QTimer* m_timer;
    class QMenu* m_recent_menu = nullptr;
    Appearance m_appearance;
    FrameStats m_frames;
    bool m_tracing = false;
};

}  // namespace cs::ui
