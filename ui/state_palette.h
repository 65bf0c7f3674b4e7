#pragma once
// The colours every view gives a task's state, so that "blocked" looks the same in the task
// table, on the topology's tokens and in the task lanes: dark text on a light fill, readable on
// light and dark themes and on a projector.
#include <QColor>

#include "runtime/task_state.h"

namespace cs::ui {

struct StateColours {
    QColor text;  // on `fill`, or a strong mark on a light background
    QColor fill;
};

StateColours colours_of(rt::TaskState state);

// A token or lane segment: the state's strong colour; a blocked task is told apart by why it
// waits (channel, timer, lock...), since that is what a lesson asks the eye to find.
QColor mark_colour(rt::TaskState state, rt::WaitReason reason);

inline const QColor deadlock_text(0xb7, 0x1c, 0x1c);
inline const QColor deadlock_fill(0xff, 0xcd, 0xd2);

}  // namespace cs::ui
