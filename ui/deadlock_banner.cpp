#include "deadlock_banner.h"

#include <QFontDatabase>

namespace cs::ui {

DeadlockBanner::DeadlockBanner(QWidget* parent) : QLabel(parent) {
    setObjectName(QStringLiteral("deadlockBanner"));
    setTextFormat(Qt::PlainText);
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setStyleSheet(
        QStringLiteral("QLabel#deadlockBanner { background: #b71c1c; color: white;"
                       " font-weight: bold; padding: 8px; border-radius: 4px; }"));
    hide();
}

void DeadlockBanner::show_report(const std::optional<rt::DeadlockReport>& report) {
    if (report) {
        const QString message = QString::fromStdString(report->to_string());
        if (text() != message) setText(message);
    }
    if (isHidden() == report.has_value()) setVisible(report.has_value());
}

}  // namespace cs::ui
