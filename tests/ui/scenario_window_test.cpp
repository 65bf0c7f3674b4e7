// The window runs scenarios: the library lists every built-in lesson with its description, Run
// starts the selected one on its own engine in place of the one running, and a scenario that
// cannot run is explained in the browser while the current run goes on.
#include <gtest/gtest.h>

#include <QListWidget>
#include <QPushButton>
#include <QTemporaryDir>
#include <fstream>

#include "main_window.h"
#include "scenario/builtin_scenarios.h"
#include "scenario_browser.h"
#include "task_table_model.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

TEST(ScenarioWindow, TheBrowserListsEveryBuiltInLessonWithItsDescription) {
    MainWindow w;
    ScenarioBrowser* b = w.scenario_browser();
    ASSERT_EQ(size_t(b->list()->count()), scenario::builtin_scenarios().size());
    ASSERT_TRUE(b->select(QStringLiteral("stampede")));
    EXPECT_EQ(b->selected_name(), QStringLiteral("stampede"));
    EXPECT_TRUE(b->description_text().contains(QStringLiteral("single_flight")))
        << b->description_text().toStdString();
    EXPECT_FALSE(b->select(QStringLiteral("no_such_lesson")));
    EXPECT_EQ(w.engine(), nullptr) << "nothing runs until asked";
}

TEST(ScenarioWindow, RunStartsTheSelectedLessonInPlaceOfTheOneRunning) {
    MainWindow w;
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    EXPECT_TRUE(w.windowTitle().contains(QStringLiteral("Worker pool"))) << w.windowTitle().toStdString();
    ASSERT_TRUE(eventually([&] { return w.task_model()->rowCount() > 0; }));
    Engine* first = w.engine();

    ScenarioBrowser* b = w.scenario_browser();
    ASSERT_TRUE(b->select(QStringLiteral("pipeline")));
    b->run_button()->click();
    ASSERT_NE(w.engine(), nullptr);
    EXPECT_NE(w.engine(), first) << "a new run has an engine of its own";
    EXPECT_EQ(w.run().source(), "pipeline");
    EXPECT_TRUE(w.windowTitle().contains(QString::fromStdString(w.run().scenario()->title)));
    EXPECT_TRUE(eventually([&] { return w.task_model()->rowCount() > 0; }));
    EXPECT_TRUE(b->error_text().isEmpty());
}

TEST(ScenarioWindow, AScenarioThatCannotRunIsExplainedAndTheCurrentRunGoesOn) {
    MainWindow w;
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    Engine* running = w.engine();
    QTemporaryDir dir;
    const std::string bad = dir.filePath(QStringLiteral("bad.json")).toStdString();
    std::ofstream(bad) << "{\"name\": \"x\", \"description\": \"d\",\n \"nodes\": [{\"kind\": "
                          "\"pool\", \"name\": \"p\", \"workers\": 0}]}";
    EXPECT_FALSE(w.open_scenario(QString::fromStdString(bad)));
    const QString error = w.scenario_browser()->error_text();
    EXPECT_TRUE(error.contains(QStringLiteral("bad.json:2:"))) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("workers"))) << error.toStdString();
    EXPECT_EQ(w.engine(), running);
    EXPECT_EQ(w.run().source(), "worker_pool");
    EXPECT_TRUE(eventually([&] { return w.task_model()->rowCount() > 0; }));

    EXPECT_FALSE(w.open_scenario(QStringLiteral("no_such_lesson")));
    EXPECT_TRUE(w.scenario_browser()->error_text().contains(QStringLiteral("no built-in scenario")))
        << w.scenario_browser()->error_text().toStdString();
    // The next run that works clears the explanation.
    EXPECT_TRUE(w.open_scenario(QStringLiteral("select_timeout")));
    EXPECT_TRUE(w.scenario_browser()->error_text().isEmpty());
}

}  // namespace
}  // namespace cs::ui::test
