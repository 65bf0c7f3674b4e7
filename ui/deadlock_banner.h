#pragma once
// DeadlockBanner: a red strip that appears above the task table when the engine reports a
// deadlock ("all tasks are asleep") and lists who waits on what; hidden otherwise.
#include <QLabel>
#include <optional>

#include "runtime/deadlock_report.h"

namespace cs::ui {

class DeadlockBanner : public QLabel {
    Q_OBJECT

  public:
    explicit DeadlockBanner(QWidget* parent = nullptr);

    // Shows the report (or hides the banner for nullopt). Cheap when nothing changed.
    void show_report(const std::optional<rt::DeadlockReport>& report);
};

}  // namespace cs::ui
