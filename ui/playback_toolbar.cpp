#include "playback_toolbar.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QSignalBlocker>
#include <QStyle>
#include <cmath>

#include "runtime/clock.h"

namespace cs::ui {

PlaybackToolBar::PlaybackToolBar(QWidget* parent) : QToolBar(tr("Playback"), parent) {
    setObjectName(QStringLiteral("playbackToolBar"));
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setMovable(false);

    m_play_pause = addAction(QString());
    m_play_pause->setShortcut(Qt::Key_Space);
    connect(m_play_pause, &QAction::triggered, this, &PlaybackToolBar::on_play_pause);

    m_step = addAction(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("Step"));
    m_step->setShortcut(Qt::Key_Right);
    m_step->setToolTip(tr("Jump to the next timer and fire it (Right arrow; while paused)"));
    connect(m_step, &QAction::triggered, this, &PlaybackToolBar::step_requested);

    addSeparator();
    auto* label = new QLabel(tr("Speed "), this);
    addWidget(label);
    m_speed = new QDoubleSpinBox(this);
    m_speed->setRange(rt::Clock::min_speed, rt::Clock::max_speed);
    m_speed->setDecimals(2);
    m_speed->setSingleStep(0.25);
    m_speed->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    m_speed->setSuffix(QStringLiteral("×"));
    m_speed->setValue(1.0);
    m_speed->setKeyboardTracking(false);  // typed values apply on Enter, not per keystroke
    m_speed->setToolTip(tr("Clock speed: 0.05× (slow motion) .. 10×"));
    label->setBuddy(m_speed);
    addWidget(m_speed);
    connect(m_speed, &QDoubleSpinBox::valueChanged, this, &PlaybackToolBar::speed_requested);
    // Halving and doubling move along 0.05 .. 10 in few presses; the box clamps at its ends.
    m_slower = new QAction(tr("Slower"), this);
    m_slower->setShortcut(Qt::Key_BracketLeft);
    m_slower->setToolTip(tr("Halve the clock speed ([)"));
    connect(m_slower, &QAction::triggered, this,
            [this] { m_speed->setValue(m_speed->value() / 2); });
    m_faster = new QAction(tr("Faster"), this);
    m_faster->setShortcut(Qt::Key_BracketRight);
    m_faster->setToolTip(tr("Double the clock speed (])"));
    connect(m_faster, &QAction::triggered, this,
            [this] { m_speed->setValue(m_speed->value() * 2); });
    addAction(m_slower);
    addAction(m_faster);

    addSeparator();
    m_drain = addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"));
    m_drain->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_drain->setToolTip(tr("Drain: the sources stop, what is in flight finishes (Ctrl+.)"));
    connect(m_drain, &QAction::triggered, this, [this] { Q_EMIT stop_requested(true); });
    m_cancel = addAction(style()->standardIcon(QStyle::SP_BrowserStop), tr("Cancel"));
    m_cancel->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Period));
    m_cancel->setToolTip(tr("Cancel: everything stops now (Ctrl+Shift+.)"));
    connect(m_cancel, &QAction::triggered, this, [this] { Q_EMIT stop_requested(false); });
    m_reset = addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Reset"));
    m_reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_reset->setToolTip(tr("Run the lesson again from the start (Ctrl+R)"));
    connect(m_reset, &QAction::triggered, this, &PlaybackToolBar::reset_requested);

    show_paused(false);
}

void PlaybackToolBar::sync(bool paused, double speed) {
    if (paused != m_paused) show_paused(paused);
    // Leave the box alone while someone is typing in it.
    if (!m_speed->hasFocus() && std::abs(m_speed->value() - speed) > 1e-9) {
        QSignalBlocker block(m_speed);
        m_speed->setValue(speed);
    }
}

void PlaybackToolBar::on_play_pause() {
    if (m_paused) {
        Q_EMIT resume_requested();
    } else {
        Q_EMIT pause_requested();
    }
}

void PlaybackToolBar::show_paused(bool paused) {
    m_paused = paused;
    m_play_pause->setIcon(
        style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    m_play_pause->setText(paused ? tr("Play") : tr("Pause"));
    m_play_pause->setToolTip(paused ? tr("Resume the clock (Space)")
                                    : tr("Pause the clock (Space)"));
    m_step->setEnabled(paused);
}

}  // namespace cs::ui
