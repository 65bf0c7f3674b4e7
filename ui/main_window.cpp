#include "main_window.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <exception>

#include "deadlock_banner.h"
#include "engine.h"
#include "playback_toolbar.h"
#include "redis_panel.h"
#include "snapshot_status_bar.h"
#include "task_table_model.h"

namespace cs::ui {

MainWindow::MainWindow(Engine& engine, QWidget* parent)
    : QMainWindow(parent),
      m_engine(engine),
      m_model(new TaskTableModel(this)),
      m_sorted(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)),
      m_banner(new DeadlockBanner(this)),
      m_playback(new PlaybackToolBar(this)),
      m_status(new SnapshotStatusBar(this)),
      m_redis(new RedisPanel(this)),
      m_timer(new QTimer(this)) {
    setWindowTitle(tr("ChanScope"));
    build_table();

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    layout->addWidget(m_banner);
    layout->addWidget(m_view, 1);
    setCentralWidget(central);

    addToolBar(Qt::TopToolBarArea, m_playback);
    connect(m_playback, &PlaybackToolBar::pause_requested, this, &MainWindow::pause);
    connect(m_playback, &PlaybackToolBar::resume_requested, this, &MainWindow::resume);
    connect(m_playback, &PlaybackToolBar::step_requested, this, &MainWindow::step);
    connect(m_playback, &PlaybackToolBar::speed_requested, this, &MainWindow::set_speed);

    auto* redis_dock = new QDockWidget(tr("Redis"), this);
    redis_dock->setObjectName(QStringLiteral("redis_dock"));
    redis_dock->setWidget(m_redis);
    addDockWidget(Qt::RightDockWidgetArea, redis_dock);

    setStatusBar(m_status);
    resize(1280, 640);

    connect(m_timer, &QTimer::timeout, this, &MainWindow::refresh);
    m_timer->start(refresh_interval);
    refresh();
    m_view->setFocus();
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

void MainWindow::set_watched_channels(QStringList names) {
    m_status->set_watched_channels(std::move(names));
    refresh();
}

void MainWindow::refresh() {
    std::shared_ptr<const telemetry::Snapshot> snapshot = m_engine.snapshot();
    m_banner->show_report(snapshot->deadlock);
    m_status->show_snapshot(*snapshot);
    m_playback->sync(snapshot->paused, snapshot->speed);
    m_model->update(std::move(snapshot));
}

void MainWindow::pause() {
    m_engine.pause();
    refresh();
}

void MainWindow::resume() {
    m_engine.resume();
    refresh();
}

void MainWindow::step() {
    if (!m_engine.clock().paused()) return;
    if (!m_engine.step()) m_status->showMessage(tr("Nothing to step to: no timer is armed"), 3000);
    refresh();
}

void MainWindow::set_speed(double speed) {
    try {
        m_engine.set_speed(speed);
    } catch (const std::exception& e) {
        m_status->showMessage(tr("Speed not changed: %1").arg(QString::fromUtf8(e.what())), 5000);
    }
    refresh();
}

}  // namespace cs::ui
