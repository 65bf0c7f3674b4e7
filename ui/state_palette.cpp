#include "state_palette.h"

namespace cs::ui {

StateColours colours_of(rt::TaskState state) {
    switch (state) {
        case rt::TaskState::running:
            return {QColor(0x1b, 0x5e, 0x20), QColor(0xc8, 0xe6, 0xc9)};
        case rt::TaskState::runnable:
            return {QColor(0x0d, 0x47, 0xa1), QColor(0xbb, 0xde, 0xfb)};
        case rt::TaskState::blocked:
            return {QColor(0x8a, 0x4b, 0x00), QColor(0xff, 0xe0, 0xb2)};
        case rt::TaskState::done:
            return {QColor(0x42, 0x42, 0x42), QColor(0xe0, 0xe0, 0xe0)};
    }
    return {};
}

QColor mark_colour(rt::TaskState state, rt::WaitReason reason) {
    switch (state) {
        case rt::TaskState::running:
            return QColor(0x2e, 0x7d, 0x32);
        case rt::TaskState::runnable:
            return QColor(0x1e, 0x88, 0xe5);
        case rt::TaskState::done:
            return QColor(0x9e, 0x9e, 0x9e);
        case rt::TaskState::blocked:
            break;
    }
    switch (reason) {
        case rt::WaitReason::send:
        case rt::WaitReason::recv:
        case rt::WaitReason::select:
            return QColor(0xef, 0x6c, 0x00);  // on a channel: orange
        case rt::WaitReason::sleep:
            return QColor(0x8e, 0x24, 0xaa);  // on the clock: purple
        case rt::WaitReason::semaphore:
        case rt::WaitReason::limiter:
        case rt::WaitReason::mutex:
            return QColor(0xc6, 0x28, 0x28);  // on a budget or a lock: red
        case rt::WaitReason::io:
            return QColor(0x00, 0x83, 0x8f);  // on the network or a disk: teal
        case rt::WaitReason::wait_group:
        case rt::WaitReason::join:
        case rt::WaitReason::none:
            return QColor(0x6d, 0x4c, 0x41);  // on other tasks: brown
    }
    return QColor(0x6d, 0x4c, 0x41);
}

}  // namespace cs::ui
