#include "appearance.h"

#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace cs::ui {
namespace {

constexpr double presenter_scale = 1.6;

// The desktop's own font size, read once, before presenter mode first changes it.
double desktop_point_size() {
    static const double size =
        QApplication::font().pointSizeF() > 0 ? QApplication::font().pointSizeF() : 10;
    return size;
}

QPalette palette_for(const Appearance& a) {
    QPalette p;
    const QColor window = a.dark ? (a.presenter ? QColor(0, 0, 0) : QColor(0x2b, 0x2b, 0x2b))
                                 : (a.presenter ? QColor(255, 255, 255) : QColor(0xef, 0xef, 0xef));
    const QColor base =
        a.dark ? (a.presenter ? QColor(0, 0, 0) : QColor(0x1e, 0x1e, 0x1e)) : QColor(255, 255, 255);
    const QColor alternate = a.dark ? QColor(0x33, 0x33, 0x33) : QColor(0xf3, 0xf3, 0xf3);
    const QColor text = a.dark ? (a.presenter ? QColor(255, 255, 255) : QColor(0xe6, 0xe6, 0xe6))
                               : (a.presenter ? QColor(0, 0, 0) : QColor(0x1a, 0x1a, 0x1a));
    const QColor faint = a.dark ? QColor(0xa0, 0xa0, 0xa0)
                                : QColor(a.presenter ? 0x40 : 0x70, a.presenter ? 0x40 : 0x70,
                                         a.presenter ? 0x40 : 0x70);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, faint);
    p.setColor(QPalette::Highlight, a.dark ? QColor(0x3d, 0x8e, 0xe6) : QColor(0x1e, 0x6f, 0xd9));
    p.setColor(QPalette::HighlightedText, QColor(255, 255, 255));
    p.setColor(QPalette::Link, a.dark ? QColor(0x7c, 0xb7, 0xff) : QColor(0x0b, 0x57, 0xd0));
    p.setColor(QPalette::Disabled, QPalette::Text, faint);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, faint);
    p.setColor(QPalette::Disabled, QPalette::WindowText, faint);
    return p;
}

}  // namespace

double font_point_size(const Appearance& appearance) {
    return desktop_point_size() * (appearance.presenter ? presenter_scale : 1.0);
}

void apply_appearance(const Appearance& appearance) {
    const double size = font_point_size(appearance);  // reads the desktop size first
    if (QApplication::style()->name() != QStringLiteral("fusion"))
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(palette_for(appearance));
    QFont font = QApplication::font();
    font.setPointSizeF(size);
    QApplication::setFont(font);
}

}  // namespace cs::ui
