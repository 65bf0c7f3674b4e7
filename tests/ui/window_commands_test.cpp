// The window's commands: menus and shortcuts, stop (drain, cancel) and reset, presenter mode and
// the dark theme, settings kept across sessions (layout, appearance, recent files), and exports
// (PNG of the view, CSV of the charts, a Chrome trace of the run) including files that cannot
// be written.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTemporaryDir>
#include <fstream>

#include "cache_panel.h"
#include "main_window.h"
#include "playback_toolbar.h"
#include "scenario/controller.h"
#include "snapshot_status_bar.h"
#include "time_series_chart.h"
#include "topology_view.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

QStringList menu_titles(const MainWindow& w) {
    QStringList titles;
    for (QAction* a : w.menuBar()->actions()) titles << a->text().remove(QLatin1Char('&'));
    return titles;
}

QString read_all(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

TEST(WindowCommands, HasTheStandardMenusAndTheShortcutsTheHelpLists) {
    MainWindow w;
    EXPECT_EQ(menu_titles(w), (QStringList{"File", "View", "Scenario", "Redis", "Help"}));
    PlaybackToolBar* bar = w.playback();
    EXPECT_EQ(bar->play_pause_action()->shortcut(), QKeySequence(Qt::Key_Space));
    EXPECT_EQ(bar->step_action()->shortcut(), QKeySequence(Qt::Key_Right));
    EXPECT_EQ(bar->slower_action()->shortcut(), QKeySequence(Qt::Key_BracketLeft));
    EXPECT_EQ(bar->faster_action()->shortcut(), QKeySequence(Qt::Key_BracketRight));
    EXPECT_EQ(bar->reset_action()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
    auto* presenter = w.findChild<QAction*>(QStringLiteral("presenter_action"));
    ASSERT_NE(presenter, nullptr);
    EXPECT_EQ(presenter->shortcut(), QKeySequence(Qt::Key_F11));
}

TEST(WindowCommands, FasterAndSlowerDoubleAndHalveTheSpeedWithinItsRange) {
    MainWindow w;
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    PlaybackToolBar* bar = w.playback();
    bar->faster_action()->trigger();
    EXPECT_TRUE(eventually([&] { return w.engine()->snapshot()->speed == 2.0; }));
    for (int i = 0; i < 10; ++i) bar->faster_action()->trigger();
    EXPECT_EQ(bar->speed_box()->value(), 10.0) << "clamped at the top";
    for (int i = 0; i < 20; ++i) bar->slower_action()->trigger();
    EXPECT_EQ(bar->speed_box()->value(), 0.05) << "clamped at the bottom";
    EXPECT_TRUE(eventually([&] { return w.engine()->snapshot()->speed == 0.05; }));
}

TEST(WindowCommands, StopDrainsWithoutBlockingAndResetRunsTheLessonAgain) {
    MainWindow w;
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    Engine* first = w.engine();
    const auto started = std::chrono::steady_clock::now();
    w.playback()->drain_action()->trigger();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500))
        << "the window does not wait for the drain";
    EXPECT_TRUE(eventually([&] { return w.run().controller()->finished(); }));
    EXPECT_TRUE(eventually([&] { return w.engine()->live_tasks() == 0; }));

    w.playback()->reset_action()->trigger();
    EXPECT_NE(w.engine(), first) << "a fresh run";
    EXPECT_EQ(w.run().source(), "worker_pool");
    EXPECT_TRUE(eventually([&] { return w.engine()->live_tasks() > 0; }));

    w.playback()->cancel_action()->trigger();
    EXPECT_TRUE(eventually([&] { return w.engine()->live_tasks() == 0; }));
}

TEST(WindowCommands, PresenterModeEnlargesTypeAndTheDarkThemeDarkens) {
    MainWindow w;
    const double normal = QApplication::font().pointSizeF();
    w.findChild<QAction*>(QStringLiteral("presenter_action"))->trigger();
    EXPECT_TRUE(w.appearance().presenter);
    EXPECT_NEAR(QApplication::font().pointSizeF(), normal * 1.6, 0.01);
    w.findChild<QAction*>(QStringLiteral("dark_action"))->trigger();
    EXPECT_TRUE(w.appearance().dark);
    EXPECT_LT(QApplication::palette().color(QPalette::Base).lightness(), 40);
    EXPECT_GT(QApplication::palette().color(QPalette::Text).lightness(), 200);

    w.set_appearance({});
    EXPECT_NEAR(QApplication::font().pointSizeF(), normal, 0.01);
    EXPECT_FALSE(w.findChild<QAction*>(QStringLiteral("presenter_action"))->isChecked())
        << "the menu's check follows";
    EXPECT_GT(QApplication::palette().color(QPalette::Base).lightness(), 200);
}

TEST(WindowCommands, SettingsAndRecentFilesOutliveTheWindow) {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("mine.json"));
    std::ofstream(file.toStdString())
        << R"({"name": "mine", "description": "d", "nodes": [{"kind": "source", "name": "s",
              "to": "k", "rate": 10}, {"kind": "sink", "name": "k"}]})";
    {
        MainWindow w;
        ASSERT_TRUE(w.open_scenario(file));
        w.set_appearance({.dark = true, .presenter = false});
        w.close();  // saves
    }
    MainWindow again;
    again.restore_settings();
    EXPECT_TRUE(again.appearance().dark);
    ASSERT_FALSE(again.recent_files().isEmpty());
    EXPECT_EQ(again.recent_files().front(), file);
    again.set_appearance({});
    again.save_settings();
}

TEST(WindowCommands, ExportsTheViewTheChartsAndATrace) {
    QTemporaryDir dir;
    MainWindow w;
    w.resize(1200, 800);
    ASSERT_TRUE(w.open_scenario(QStringLiteral("cache_aside")));
    w.show();
    w.start_trace();
    ASSERT_TRUE(eventually(
        [&] { return w.cache_panel()->hit_ratio()->points(QStringLiteral("app")).size() >= 2; }));

    const QString png = dir.filePath(QStringLiteral("view.png"));
    ASSERT_TRUE(w.export_png(png));
    QImage image(png);
    EXPECT_EQ(image.size(), w.size());

    const QString csv = dir.filePath(QStringLiteral("charts.csv"));
    ASSERT_TRUE(w.export_csv(csv));
    const QString rows = read_all(csv);
    EXPECT_TRUE(rows.startsWith(QStringLiteral("chart,series,seconds,value\n")));
    EXPECT_TRUE(rows.contains(QStringLiteral("\"Hit ratio\",\"app\",")))
        << rows.left(300).toStdString();

    const QString trace = dir.filePath(QStringLiteral("trace.json"));
    ASSERT_TRUE(w.tracing());
    ASSERT_TRUE(w.export_trace(trace));
    EXPECT_FALSE(w.tracing());
    const QString json = read_all(trace);
    EXPECT_TRUE(json.contains(QStringLiteral("traceEvents")));
    EXPECT_TRUE(json.contains(QStringLiteral("app worker 0"))) << "tracks named after tasks";

    EXPECT_FALSE(w.export_csv(QStringLiteral("/no/such/dir/charts.csv")));
    EXPECT_TRUE(w.snapshot_status()->currentMessage().contains(QStringLiteral("Could not write")))
        << w.snapshot_status()->currentMessage().toStdString();
    EXPECT_FALSE(w.export_png(QStringLiteral("/no/such/dir/view.png")));
}

}  // namespace
}  // namespace cs::ui::test
