#include "hover_tooltip.h"

#include <QHelpEvent>
#include <QToolTip>

namespace cs::ui {

bool answer_tooltip(QEvent* event, QWidget* widget, const std::function<QString(QPoint)>& text_at) {
    if (event->type() != QEvent::ToolTip) return false;
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = text_at(help->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), text, widget);
    return true;
}

}  // namespace cs::ui
