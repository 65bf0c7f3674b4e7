#pragma once
// Tooltips that depend on where the pointer is (a node, a lane at an instant), for views that
// draw their own content instead of holding child widgets.
#include <QString>
#include <functional>

class QEvent;
class QPoint;
class QWidget;

namespace cs::ui {

// If `event` asks for a tooltip, shows `text_at(its position)` over `widget` (or hides any
// shown when the text is empty) and returns true; false for any other event.
bool answer_tooltip(QEvent* event, QWidget* widget, const std::function<QString(QPoint)>& text_at);

}  // namespace cs::ui
