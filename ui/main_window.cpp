#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextStream>
#include <QTimer>
#include <QVBoxLayout>
#include <exception>
#include <fstream>

#include "cache_panel.h"
#include "deadlock_banner.h"
#include "engine.h"
#include "invalidation_log.h"
#include "lesson_view.h"
#include "limiter_panel.h"
#include "parameter_inspector.h"
#include "playback_toolbar.h"
#include "redis_connect_dialog.h"
#include "redis_panel.h"
#include "scenario/builtin_scenarios.h"
#include "scenario/scenario.h"
#include "scenario_browser.h"
#include "semaphore_panel.h"
#include "snapshot_status_bar.h"
#include "task_lanes_view.h"
#include "task_table_model.h"
#include "time_series_chart.h"
#include "topology_view.h"

namespace cs::ui {
namespace {

bool is_builtin(const QString& name) {
    for (const scenario::BuiltinScenario& b : scenario::builtin_scenarios())
        if (name == QString::fromUtf8(b.name.data(), qsizetype(b.name.size()))) return true;
    return false;
}

}  // namespace

MainWindow::MainWindow(Engine& engine, QWidget* parent) : MainWindow(parent) {
    watch(&engine);
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_run(std::make_unique<ScenarioRun>()),
      m_browser(new ScenarioBrowser(this)),
      m_lesson(new LessonView(this)),
      m_inspector(new ParameterInspector(this)),
      m_topology(new TopologyView(this)),
      m_lanes(new TaskLanesView(this)),
      m_model(new TaskTableModel(this)),
      m_sorted(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)),
      m_banner(new DeadlockBanner(this)),
      m_playback(new PlaybackToolBar(this)),
      m_status(new SnapshotStatusBar(this)),
      m_redis(new RedisPanel(this)),
      m_cache_panel(new CachePanel(this)),
      m_limiter_panel(new LimiterPanel(this)),
      m_semaphore_panel(new SemaphorePanel(this)),
      m_invalidations(new InvalidationLog(this)),
      m_timer(new QTimer(this)) {
    setWindowTitle(tr("ChanScope"));
    build_table();

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    layout->addWidget(m_banner);
    auto* split = new QSplitter(Qt::Vertical, central);
    split->setObjectName(QStringLiteral("centre_split"));
    split->addWidget(m_topology);
    auto* tasks = new QTabWidget(split);
    tasks->setObjectName(QStringLiteral("task_tabs"));
    tasks->setDocumentMode(true);
    tasks->addTab(m_lanes, tr("Task lanes"));
    tasks->addTab(m_view, tr("Task table"));
    split->addWidget(tasks);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    setCentralWidget(central);

    addToolBar(Qt::TopToolBarArea, m_playback);
    connect(m_playback, &PlaybackToolBar::pause_requested, this, &MainWindow::pause);
    connect(m_playback, &PlaybackToolBar::resume_requested, this, &MainWindow::resume);
    connect(m_playback, &PlaybackToolBar::step_requested, this, &MainWindow::step);
    connect(m_playback, &PlaybackToolBar::speed_requested, this, &MainWindow::set_speed);
    connect(m_playback, &PlaybackToolBar::stop_requested, this, &MainWindow::stop_run);
    connect(m_playback, &PlaybackToolBar::reset_requested, this, [this] {
        if (!m_run->source().empty()) open_scenario(QString::fromStdString(m_run->source()));
    });

    auto* lessons_dock = new QDockWidget(tr("Scenarios"), this);
    lessons_dock->setObjectName(QStringLiteral("scenarios_dock"));
    lessons_dock->setWidget(m_browser);
    addDockWidget(Qt::LeftDockWidgetArea, lessons_dock);
    connect(m_browser, &ScenarioBrowser::run_requested, this, &MainWindow::open_scenario);
    auto* lesson_dock = new QDockWidget(tr("Lesson"), this);
    lesson_dock->setObjectName(QStringLiteral("lesson_dock"));
    lesson_dock->setWidget(m_lesson);
    addDockWidget(Qt::LeftDockWidgetArea, lesson_dock);

    build_docks();

    setStatusBar(m_status);
    build_menus();
    resize(1440, 720);

    connect(m_timer, &QTimer::timeout, this, &MainWindow::refresh);
    m_timer->start(refresh_interval);
    refresh();
    m_view->setFocus();
}

// The right side: live parameters on top; below, the charts, the log and Redis as tabs.
void MainWindow::build_docks() {
    auto dock = [this](const QString& title, const char* name, QWidget* content) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(QString::fromLatin1(name));
        d->setWidget(content);
        addDockWidget(Qt::RightDockWidgetArea, d);
        return d;
    };
    dock(tr("Live parameters"), "parameters_dock", m_inspector);
    QDockWidget* caches = dock(tr("Cache"), "cache_dock", m_cache_panel);
    QDockWidget* limiters = dock(tr("Rate limiters"), "limiter_dock", m_limiter_panel);
    QDockWidget* semaphores = dock(tr("Semaphores"), "semaphore_dock", m_semaphore_panel);
    QDockWidget* invalidations = dock(tr("Invalidations"), "invalidation_dock", m_invalidations);
    QDockWidget* redis = dock(tr("Redis"), "redis_dock", m_redis);
    tabifyDockWidget(caches, limiters);
    tabifyDockWidget(limiters, semaphores);
    tabifyDockWidget(semaphores, invalidations);
    tabifyDockWidget(invalidations, redis);
    caches->raise();
}

// Brings forward the chart a lesson is about: its caches, its limiter or its semaphore.
void MainWindow::show_docks_for(const scenario::Scenario& s) {
    auto has = [&](const char* kind) {
        for (const scenario::NodeSpec& n : s.nodes)
            if (n.kind == kind) return true;
        return false;
    };
    const char* dock = has("cache")                                    ? "cache_dock"
                       : has("rate_limit") || has("shared_rate_limit") ? "limiter_dock"
                       : has("bounded")                                ? "semaphore_dock"
                                                                       : nullptr;
    if (!dock) return;
    if (auto* d = findChild<QDockWidget*>(QString::fromLatin1(dock))) d->raise();
}

void MainWindow::build_menus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open scenario…"), this, [this] {
        const QString chosen = QFileDialog::getOpenFileName(
            this, tr("Open a scenario"), QString(), tr("Scenario files (*.json);;All files (*)"));
        if (!chosen.isEmpty()) open_scenario(chosen);
    });
    open->setShortcut(QKeySequence::Open);
    m_recent_menu = file->addMenu(tr("Open &recent"));
    fill_recent_menu();
    file->addSeparator();
    QAction* png = file->addAction(tr("Export view as &PNG…"), this, [this] {
        const QString to = QFileDialog::getSaveFileName(
            this, tr("Export the view"), QStringLiteral("chanscope.png"), tr("PNG images (*.png)"));
        if (!to.isEmpty()) export_png(to);
    });
    png->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addAction(tr("Export charts as &CSV…"), this, [this] {
        const QString to =
            QFileDialog::getSaveFileName(this, tr("Export the charts' data"),
                                         QStringLiteral("chanscope.csv"), tr("CSV files (*.csv)"));
        if (!to.isEmpty()) export_csv(to);
    });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* presenter = view->addAction(tr("&Presenter mode"));
    presenter->setObjectName(QStringLiteral("presenter_action"));
    presenter->setCheckable(true);
    presenter->setShortcut(Qt::Key_F11);
    connect(presenter, &QAction::toggled, this, [this](bool on) {
        Appearance a = m_appearance;
        a.presenter = on;
        set_appearance(a);
    });
    QAction* dark = view->addAction(tr("&Dark theme"));
    dark->setObjectName(QStringLiteral("dark_action"));
    dark->setCheckable(true);
    dark->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    connect(dark, &QAction::toggled, this, [this](bool on) {
        Appearance a = m_appearance;
        a.dark = on;
        set_appearance(a);
    });
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());

    QMenu* scenario = menuBar()->addMenu(tr("&Scenario"));
    scenario->addAction(m_playback->play_pause_action());
    scenario->addAction(m_playback->step_action());
    scenario->addAction(m_playback->slower_action());
    scenario->addAction(m_playback->faster_action());
    scenario->addSeparator();
    scenario->addAction(m_playback->drain_action());
    scenario->addAction(m_playback->cancel_action());
    scenario->addAction(m_playback->reset_action());
    scenario->addSeparator();
    QAction* record = scenario->addAction(tr("Record a &trace"), this, &MainWindow::start_trace);
    QAction* save_trace = scenario->addAction(tr("&Export the trace (Perfetto)…"), this, [this] {
        const QString to = QFileDialog::getSaveFileName(this, tr("Export the trace"),
                                                        QStringLiteral("chanscope-trace.json"),
                                                        tr("Chrome trace JSON (*.json)"));
        if (!to.isEmpty()) export_trace(to);
    });
    save_trace->setEnabled(false);
    connect(scenario, &QMenu::aboutToShow, this, [this, record, save_trace] {
        record->setEnabled(!m_tracing && m_engine);
        save_trace->setEnabled(m_tracing);
    });

    QMenu* redis = menuBar()->addMenu(tr("&Redis"));
    redis->addAction(tr("&Connect…"), this, [this] {
        RedisConnectDialog dialog(QString(), this);
        if (dialog.exec() != QDialog::Accepted) return;
        m_redis->connect_to(dialog.url(), dialog.password());
        if (auto* dock = findChild<QDockWidget*>(QStringLiteral("redis_dock"))) dock->raise();
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* keys = help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        QMessageBox::information(this, tr("Keyboard shortcuts"), shortcuts_text());
    });
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About ChanScope"), this, [this] {
        QMessageBox::about(
            this, tr("About ChanScope"),
            tr("<b>ChanScope %1</b><p>Go-style concurrency and caching, running live: tasks, "
               "channels, select, pools, pipelines, rate limiters, semaphores, local caches and "
               "Redis, shown as they work.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

QString MainWindow::shortcuts_text() {
    return tr(
        "<table>"
        "<tr><td><b>Space</b></td><td>play / pause</td></tr>"
        "<tr><td><b>→</b></td><td>step to the next timer (paused)</td></tr>"
        "<tr><td><b>[ ]</b></td><td>halve / double the speed</td></tr>"
        "<tr><td><b>Ctrl+.</b></td><td>stop: drain</td></tr>"
        "<tr><td><b>Ctrl+Shift+.</b></td><td>cancel</td></tr>"
        "<tr><td><b>Ctrl+R</b></td><td>reset: run the lesson again</td></tr>"
        "<tr><td><b>F11</b></td><td>presenter mode</td></tr>"
        "<tr><td><b>Ctrl+Shift+D</b></td><td>dark theme</td></tr>"
        "<tr><td><b>Ctrl+O / Ctrl+E</b></td><td>open a scenario / export the view</td></tr>"
        "<tr><td><b>Task lanes</b></td><td>Ctrl+wheel or +/- zoom, drag pans, End "
        "follows</td></tr>"
        "</table>");
}

void MainWindow::set_appearance(Appearance appearance) {
    m_appearance = appearance;
    apply_appearance(appearance);
    m_topology->set_presenter(appearance.presenter);
    m_lanes->set_presenter(appearance.presenter);
    for (MetricPanel* panel :
         {static_cast<MetricPanel*>(m_cache_panel), static_cast<MetricPanel*>(m_limiter_panel),
          static_cast<MetricPanel*>(m_semaphore_panel)}) {
        panel->set_presenter(appearance.presenter);
        panel->set_dark(appearance.dark);
    }
    // The menu's check marks follow however the change came (settings, a test, the menu).
    if (auto* a = findChild<QAction*>(QStringLiteral("presenter_action"))) {
        QSignalBlocker block(a);
        a->setChecked(appearance.presenter);
    }
    if (auto* a = findChild<QAction*>(QStringLiteral("dark_action"))) {
        QSignalBlocker block(a);
        a->setChecked(appearance.dark);
    }
}

bool MainWindow::export_png(const QString& file) {
    refresh();  // the latest state, not up to 33 ms old
    if (grab().save(file, "PNG")) {
        m_status->showMessage(tr("Saved the view to %1").arg(file), 5000);
        return true;
    }
    m_status->showMessage(tr("Could not save the view to %1").arg(file), 8000);
    return false;
}

bool MainWindow::export_csv(const QString& file) {
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Text)) {
        m_status->showMessage(tr("Could not write %1: %2").arg(file, out.errorString()), 8000);
        return false;
    }
    QTextStream text(&out);
    text << "chart,series,seconds,value\n";
    auto quoted = [](QString field) {
        return QLatin1Char('"') + field.replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
               QLatin1Char('"');
    };
    for (MetricPanel* panel :
         {static_cast<MetricPanel*>(m_cache_panel), static_cast<MetricPanel*>(m_limiter_panel),
          static_cast<MetricPanel*>(m_semaphore_panel)})
        for (const TimeSeriesChart* chart : panel->charts())
            for (const QString& series : chart->series_names())
                for (const QPointF& p : chart->points(series))
                    text << quoted(chart->title()) << ',' << quoted(series) << ','
                         << QString::number(p.x(), 'f', 3) << ',' << QString::number(p.y(), 'g', 10)
                         << '\n';
    text.flush();
    if (!out.commit()) {
        m_status->showMessage(tr("Could not write %1: %2").arg(file, out.errorString()), 8000);
        return false;
    }
    m_status->showMessage(tr("Saved the charts' data to %1").arg(file), 5000);
    return true;
}

void MainWindow::start_trace() {
    if (!m_engine || m_tracing) return;
    m_engine->start_trace();
    m_tracing = true;
    m_status->showMessage(tr("Recording a trace: Scenario ▸ Export the trace writes it"), 5000);
}

bool MainWindow::export_trace(const QString& file) {
    if (!m_engine || !m_tracing) return false;
    std::ofstream out(file.toStdString());
    if (!out) {
        m_status->showMessage(tr("Could not write %1; the trace goes on recording").arg(file),
                              8000);
        return false;
    }
    m_engine->stop_trace(out);
    m_tracing = false;
    out.close();
    if (!out) {
        m_status->showMessage(tr("Could not finish writing %1").arg(file), 8000);
        return false;
    }
    m_status->showMessage(tr("Saved the trace to %1 (open it in ui.perfetto.dev)").arg(file), 8000);
    return true;
}

void MainWindow::stop_run(bool drain) {
    if (!m_run->controller()) return;
    m_run->stop(drain);
    m_status->showMessage(drain ? tr("Draining: the sources stopped, what is in flight finishes")
                                : tr("Cancelled: everything stops now"),
                          5000);
}

QStringList MainWindow::recent_files() const {
    return QSettings().value(QStringLiteral("recent_files")).toStringList();
}

void MainWindow::add_recent_file(const QString& file) {
    const QString path = QFileInfo(file).absoluteFilePath();
    QStringList files = recent_files();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > 8) files.removeLast();
    QSettings().setValue(QStringLiteral("recent_files"), files);
    fill_recent_menu();
}

void MainWindow::fill_recent_menu() {
    if (!m_recent_menu) return;
    m_recent_menu->clear();
    const QStringList files = recent_files();
    for (const QString& f : files)
        m_recent_menu->addAction(f, this, [this, f] { open_scenario(f); });
    m_recent_menu->setEnabled(!files.isEmpty());
}

void MainWindow::restore_settings() {
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window_state")).toByteArray());
    Appearance a;
    a.dark = settings.value(QStringLiteral("dark"), false).toBool();
    a.presenter = settings.value(QStringLiteral("presenter"), false).toBool();
    set_appearance(a);
}

void MainWindow::save_settings() const {
    QSettings settings;
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window_state"), saveState());
    settings.setValue(QStringLiteral("dark"), m_appearance.dark);
    settings.setValue(QStringLiteral("presenter"), m_appearance.presenter);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    save_settings();
    QMainWindow::closeEvent(event);
}

void MainWindow::build_table() {
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(TaskTableModel::sort_role);
    m_sorted->setDynamicSortFilter(true);

    m_view->setModel(m_sorted);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TaskTableModel::id_column, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);

    QHeaderView* header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setStretchLastSection(true);
    const int em = m_view->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    m_view->setColumnWidth(TaskTableModel::id_column, 6 * em);
    m_view->setColumnWidth(TaskTableModel::name_column, 14 * em);
    m_view->setColumnWidth(TaskTableModel::state_column, 8 * em);
}

MainWindow::~MainWindow() {
    m_timer->stop();
    watch(nullptr);
    m_inspector->show_run(nullptr);
    m_run.reset();  // cancels the scenario while the views still exist, but no longer look
}

void MainWindow::set_run_settings(RunSettings settings) {
    m_settings = std::move(settings);
}

bool MainWindow::open_scenario(const QString& file_or_name) {
    watch(nullptr);  // the views let go of the run that may be about to go
    m_inspector->show_run(nullptr);
    m_topology->show_scenario(nullptr);
    const std::string error = m_run->open(file_or_name.toStdString(), m_settings);
    watch(m_run->engine());
    m_inspector->show_run(m_run->controller());
    m_topology->show_scenario(m_run->scenario());
    if (!error.empty()) {
        m_browser->show_error(
            tr("Could not run %1: %2").arg(file_or_name, QString::fromStdString(error)));
        m_status->showMessage(tr("Could not run %1").arg(file_or_name), 5000);
        return false;
    }
    const scenario::Scenario& s = *m_run->scenario();
    setWindowTitle(tr("ChanScope — %1").arg(QString::fromStdString(s.title)));
    m_browser->set_running(file_or_name);
    m_lesson->show_lesson(QString::fromStdString(m_run->source()), s);
    if (!is_builtin(file_or_name)) add_recent_file(file_or_name);
    show_docks_for(s);
    m_status->showMessage(tr("Running %1").arg(QString::fromStdString(s.title)), 3000);
    return true;
}

void MainWindow::watch(Engine* engine) {
    if (engine != m_engine) {
        m_tracing = false;  // a trace belongs to the engine that recorded it
        m_lanes->clear();
        m_cache_panel->clear();
        m_limiter_panel->clear();
        m_semaphore_panel->clear();
        m_invalidations->clear();
    }
    m_engine = engine;
    refresh();
}

void MainWindow::refresh() {
    const auto started = FrameStats::Clock::now();
    std::shared_ptr<const telemetry::Snapshot> snapshot =
        m_engine ? m_engine->snapshot() : std::make_shared<const telemetry::Snapshot>();
    m_banner->show_report(snapshot->deadlock);
    m_topology->show_snapshot(*snapshot);
    // The status bar names the channels the topology draws: not a pool's 10,000 quit channels.
    QStringList on_edges;
    for (const TopologyEdge& edge : m_topology->model().edges())
        if (!edge.channel.empty()) on_edges << QString::fromStdString(edge.channel);
    m_status->set_watched_channels(std::move(on_edges));
    m_status->show_snapshot(*snapshot);
    m_playback->sync(snapshot->paused, snapshot->speed);
    m_cache_panel->show_snapshot(*snapshot);
    m_limiter_panel->show_snapshot(*snapshot);
    m_semaphore_panel->show_snapshot(*snapshot);
    m_invalidations->append(snapshot->cache_events);
    m_lanes->show_snapshot(snapshot);
    m_model->update(std::move(snapshot));
    m_frames.frame(started, FrameStats::Clock::now() - started);
}

void MainWindow::pause() {
    if (!m_engine) return;
    m_engine->pause();
    refresh();
}

void MainWindow::resume() {
    if (!m_engine) return;
    m_engine->resume();
    refresh();
}

void MainWindow::step() {
    if (!m_engine || !m_engine->clock().paused()) return;
    if (!m_engine->step()) m_status->showMessage(tr("Nothing to step to: no timer is armed"), 3000);
    refresh();
}

void MainWindow::set_speed(double speed) {
    m_settings.speed = speed;  // the next scenario starts at it too
    if (!m_engine) return;
    try {
        m_engine->set_speed(speed);
    } catch (const std::exception& e) {
        m_status->showMessage(tr("Speed not changed: %1").arg(QString::fromUtf8(e.what())), 5000);
    }
    refresh();
}

}  // namespace cs::ui
