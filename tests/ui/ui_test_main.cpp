// main of the UI suites: a QApplication for the widgets, then GoogleTest.
#include <gtest/gtest.h>

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>

int main(int argc, char** argv) {
    // Headless by default (also when ctest lists the tests, before ENVIRONMENT applies).
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    ::testing::InitGoogleTest(&argc, argv);
    // Settings (recent files, layout, presenter mode) go to a test location, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("chanscope-ui-tests"));
    QSettings().clear();
    return RUN_ALL_TESTS();
}
