// MainWindow on a real engine: the table follows the engine, the toolbar drives its clock, the
// banner reports a deadlock.
#include <gtest/gtest.h>

#include <QAction>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QTableView>
#include <QTest>

#include "deadlock_banner.h"
#include "main_window.h"
#include "playback_toolbar.h"
#include "runtime/runtime.h"
#include "snapshot_status_bar.h"
#include "task_table_model.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

using rt::Chan;
using rt::Task;

QString status_text(const MainWindow& w) {
    QStringList parts;
    for (QLabel* l : w.snapshot_status()->findChildren<QLabel*>()) parts << l->text();
    return parts.join(" | ");
}

TEST(MainWindow, FollowsTheEnginesTasks) {
    Engine engine;
    Chan<int> inbox(1, "inbox");
    engine.go("reader", [inbox]() mutable -> Task<> { co_await inbox.recv(); });
    engine.go("other", [inbox]() mutable -> Task<> { co_await inbox.recv(); });
    // An armed timer: without it the two readers would be a deadlock 20 ms later, as in Go.
    engine.go("sleeper", []() -> Task<> { co_await rt::sleep_for(std::chrono::hours(1)); });
    MainWindow w(engine);
    ASSERT_TRUE(eventually([&] {
        return w.task_model()->rowCount() == 3 && status_text(w).contains("3 blocked");
    })) << status_text(w).toStdString();
    EXPECT_TRUE(status_text(w).contains("3 tasks")) << status_text(w).toStdString();
    EXPECT_TRUE(status_text(w).contains("inbox 0/1")) << status_text(w).toStdString();
    EXPECT_EQ(w.task_view()->model()->rowCount(), 3);  // through the sorting proxy
    EXPECT_TRUE(w.deadlock_banner()->isHidden());

    inbox.send_blocking(1);
    inbox.send_blocking(2);
    EXPECT_TRUE(eventually([&] { return w.task_model()->rowCount() == 1; }));
}

TEST(MainWindow, ToolbarPausesStepsAndSetsTheSpeed) {
    Engine engine;
    engine.go("sleeper", []() -> Task<> { co_await rt::sleep_for(std::chrono::hours(1)); });
    ASSERT_TRUE(
        all_blocked(*snapshot_when(engine, [](const auto& s) { return all_blocked(s, 1); }), 1));
    MainWindow w(engine);
    w.show();
    PlaybackToolBar* bar = w.playback();
    EXPECT_FALSE(bar->step_action()->isEnabled());

    bar->play_pause_action()->trigger();
    EXPECT_TRUE(engine.clock().paused());
    EXPECT_TRUE(bar->paused());
    EXPECT_TRUE(bar->step_action()->isEnabled());
    EXPECT_TRUE(status_text(w).contains("paused"));

    // Step jumps the paused clock to the sleeper's timer, which ends its hour-long sleep.
    bar->step_action()->trigger();
    EXPECT_GE(engine.clock().now().time_since_epoch(), std::chrono::hours(1));
    EXPECT_TRUE(eventually([&] { return engine.live_tasks() == 0; }));

    bar->speed_box()->setValue(0.5);
    EXPECT_DOUBLE_EQ(engine.clock().speed(), 0.5);

    // Space, with the table focused, resumes.
    w.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&w));
    w.task_view()->setFocus();
    QTest::keyClick(w.task_view(), Qt::Key_Space);
    EXPECT_FALSE(engine.clock().paused());
    EXPECT_FALSE(bar->step_action()->isEnabled());
}

TEST(MainWindow, ShowsADeadlockInTheBanner) {
    Engine engine;
    Chan<int> never(0, "never");
    engine.go("stuck", [never]() mutable -> Task<> { co_await never.recv(); });
    MainWindow w(engine);
    w.show();
    ASSERT_TRUE(engine.wait_for_deadlock(10s).has_value());
    ASSERT_TRUE(eventually([&] { return !w.deadlock_banner()->isHidden(); }));
    EXPECT_TRUE(w.deadlock_banner()->text().contains("all tasks are asleep"));
    EXPECT_TRUE(w.deadlock_banner()->text().contains("chan never"));
    EXPECT_TRUE(w.task_model()->in_deadlock(0));

    never.send_blocking(1);
    EXPECT_TRUE(eventually([&] { return w.deadlock_banner()->isHidden(); }));
}

}  // namespace
}  // namespace cs::ui::test
