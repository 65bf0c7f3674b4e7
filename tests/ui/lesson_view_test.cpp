// Lesson texts: every built-in scenario has one, headed by its title, with what to watch and what
// to try — and every parameter the teacher may change live appears in it by its inspector name
// (`pool.workers`), so the text and the sliders never drift apart. A scenario file of your own
// shows the Markdown beside it, or its description.
#include <gtest/gtest.h>

#include <QDir>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <fstream>

#include "lesson_view.h"
#include "main_window.h"
#include "scenario/builtin_scenarios.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

TEST(Lessons, EveryBuiltInScenarioHasALessonThatNamesItsLiveParameters) {
    for (const scenario::BuiltinScenario& builtin : scenario::builtin_scenarios()) {
        const QString name = QString::fromUtf8(builtin.name.data(), qsizetype(builtin.name.size()));
        SCOPED_TRACE(name.toStdString());
        const QString text = LessonView::builtin_markdown(name);
        ASSERT_FALSE(text.isEmpty()) << "resources/lessons/" << name.toStdString() << ".md";
        const scenario::Scenario s = scenario::load_scenario(name.toStdString());
        EXPECT_TRUE(text.startsWith(QStringLiteral("# %1\n").arg(QString::fromStdString(s.title))))
            << "the first line is the scenario's title";
        EXPECT_TRUE(text.contains(QStringLiteral("\n## What to watch\n")));
        EXPECT_TRUE(text.contains(QStringLiteral("\n## What to try\n")));
        for (const scenario::LiveParam& live : s.live) {
            const QString in_text = QStringLiteral("`%1.%2`").arg(
                QString::fromStdString(live.node), QString::fromStdString(live.param));
            EXPECT_TRUE(text.contains(in_text)) << in_text.toStdString() << " is never mentioned";
        }
    }
}

TEST(Lessons, TheWindowShowsTheRunningLessonsText) {
    MainWindow w;
    EXPECT_TRUE(w.lesson_view()->markdown().isEmpty());
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    EXPECT_EQ(w.lesson_view()->markdown(),
              LessonView::builtin_markdown(QStringLiteral("worker_pool")));
    EXPECT_TRUE(w.lesson_view()->browser()->toPlainText().contains(QStringLiteral("What to try")));
    EXPECT_FALSE(w.lesson_view()->browser()->toPlainText().contains(QStringLiteral("## ")))
        << "rendered, not shown as Markdown source";
}

TEST(Lessons, AScenarioFileShowsTheMarkdownBesideItOrItsDescription) {
    QTemporaryDir dir;
    const QString scenario_file = dir.filePath(QStringLiteral("mine.json"));
    std::ofstream(scenario_file.toStdString())
        << R"({"name": "mine", "title": "My pool", "description": "Four workers, one queue.",
              "nodes": [{"kind": "source", "name": "s", "to": "k", "rate": 10},
                        {"kind": "sink", "name": "k"}]})";
    MainWindow w;
    ASSERT_TRUE(w.open_scenario(scenario_file));
    EXPECT_TRUE(w.lesson_view()->markdown().contains(QStringLiteral("Four workers, one queue.")));
    EXPECT_TRUE(w.lesson_view()->markdown().contains(QStringLiteral("mine.md")))
        << "says where a lesson text would go";

    std::ofstream(dir.filePath(QStringLiteral("mine.md")).toStdString())
        << "# My pool\n\nOur own words.\n";
    ASSERT_TRUE(w.open_scenario(scenario_file));
    EXPECT_EQ(w.lesson_view()->markdown(), QStringLiteral("# My pool\n\nOur own words.\n"));
}

}  // namespace
}  // namespace cs::ui::test
