#include "main_window.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <exception>

#include "cache_panel.h"
#include "deadlock_banner.h"
#include "engine.h"
#include "invalidation_log.h"
#include "limiter_panel.h"
#include "parameter_inspector.h"
#include "playback_toolbar.h"
#include "redis_panel.h"
#include "scenario/scenario.h"
#include "scenario_browser.h"
#include "semaphore_panel.h"
#include "snapshot_status_bar.h"
#include "task_lanes_view.h"
#include "task_table_model.h"
#include "topology_view.h"

namespace cs::ui {

MainWindow::MainWindow(Engine& engine, QWidget* parent) : MainWindow(parent) {
    watch(&engine);
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_run(std::make_unique<ScenarioRun>()),
      m_browser(new ScenarioBrowser(this)),
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

    auto* lessons_dock = new QDockWidget(tr("Scenarios"), this);
    lessons_dock->setObjectName(QStringLiteral("scenarios_dock"));
    lessons_dock->setWidget(m_browser);
    addDockWidget(Qt::LeftDockWidgetArea, lessons_dock);
    connect(m_browser, &ScenarioBrowser::run_requested, this, &MainWindow::open_scenario);

    build_docks();

    setStatusBar(m_status);
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
    show_docks_for(s);
    m_status->showMessage(tr("Running %1").arg(QString::fromStdString(s.title)), 3000);
    return true;
}

void MainWindow::watch(Engine* engine) {
    if (engine != m_engine) {
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
