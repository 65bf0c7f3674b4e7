// The parameter inspector on a real running scenario: each live parameter has an editor, a typed
// value reaches the controller, and bad input is refused with a message that names the allowed
// range while the value in force stays.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QLineEdit>
#include <QSlider>
#include <QTest>

#include "main_window.h"
#include "parameter_inspector.h"
#include "scenario/controller.h"

namespace cs::ui::test {
namespace {

TEST(ParameterInspector, ShowsEveryLiveParameterOfTheRunningScenario) {
    MainWindow w;
    ParameterInspector* p = w.parameter_inspector();
    EXPECT_EQ(p->row_count(), 0);
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    EXPECT_EQ(p->row_count(), 3);
    ASSERT_NE(p->field(QStringLiteral("pool.work")), nullptr);
    EXPECT_EQ(p->field(QStringLiteral("pool.work"))->text(), QStringLiteral("30ms"));
    EXPECT_EQ(p->field(QStringLiteral("pool.workers"))->text(), QStringLiteral("4"));

    ASSERT_TRUE(w.open_scenario(QStringLiteral("stampede")));
    EXPECT_EQ(p->row_count(), 3) << "the new run's parameters replace the old ones";
    EXPECT_EQ(p->field(QStringLiteral("pool.workers")), nullptr);
    EXPECT_EQ(p->field(QStringLiteral("app.protection")), nullptr) << "a choice is a list";
    auto* choice = p->findChild<QComboBox*>();
    ASSERT_NE(choice, nullptr);
    choice->setCurrentIndex(choice->findText(QStringLiteral("single_flight")));
    EXPECT_EQ(w.run().controller()->param("app", "protection"), double(choice->currentIndex()));
}

TEST(ParameterInspector, ATypedValueAppliesWhileItRuns) {
    MainWindow w;
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    ParameterInspector* p = w.parameter_inspector();
    QLineEdit* workers = p->field(QStringLiteral("pool.workers"));
    workers->selectAll();
    QTest::keyClicks(workers, QStringLiteral("12"));
    QTest::keyClick(workers, Qt::Key_Return);
    EXPECT_EQ(w.run().controller()->param("pool", "workers"), 12);
    EXPECT_TRUE(p->error_text().isEmpty()) << p->error_text().toStdString();

    EXPECT_TRUE(p->type_value(QStringLiteral("pool.work"), QStringLiteral("120ms")));
    EXPECT_EQ(w.run().controller()->param("pool", "work"), 120e6);
    EXPECT_EQ(p->field(QStringLiteral("pool.work"))->text(), QStringLiteral("120ms"));
}

TEST(ParameterInspector, RefusesBadInputWithAMessageAndKeepsTheValueInForce) {
    MainWindow w;
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    ParameterInspector* p = w.parameter_inspector();

    EXPECT_FALSE(p->type_value(QStringLiteral("pool.workers"), QStringLiteral("0")));
    EXPECT_TRUE(p->error_text().contains(QStringLiteral("out of range (allowed: 1 .. 32)")))
        << p->error_text().toStdString();
    EXPECT_EQ(w.run().controller()->param("pool", "workers"), 4);
    EXPECT_EQ(p->field(QStringLiteral("pool.workers"))->text(), QStringLiteral("4"));

    EXPECT_FALSE(p->type_value(QStringLiteral("pool.work"), QStringLiteral("fast")));
    EXPECT_TRUE(p->error_text().contains(QStringLiteral("is not a duration")))
        << p->error_text().toStdString();
    EXPECT_EQ(p->field(QStringLiteral("pool.work"))->text(), QStringLiteral("30ms"));

    // A good value clears the message.
    EXPECT_TRUE(p->type_value(QStringLiteral("producer.rate"), QStringLiteral("20")));
    EXPECT_TRUE(p->error_text().isEmpty());
    EXPECT_EQ(w.run().controller()->param("producer", "rate"), 20);
}

TEST(ParameterInspector, TheSliderSpansTheDeclaredRange) {
    MainWindow w;
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    ParameterInspector* p = w.parameter_inspector();
    QSlider* work = p->field(QStringLiteral("pool.work"))->parentWidget()->findChild<QSlider*>();
    ASSERT_NE(work, nullptr);
    work->setValue(work->maximum());
    EXPECT_EQ(w.run().controller()->param("pool", "work"), 500e6);
    EXPECT_EQ(p->field(QStringLiteral("pool.work"))->text(), QStringLiteral("500ms"));
    work->setValue(work->minimum());
    EXPECT_EQ(w.run().controller()->param("pool", "work"), 1e6);
}

}  // namespace
}  // namespace cs::ui::test
