#include "shared/Theme.hpp"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace Theme {
namespace {
Mode g_mode = Mode::Light;
}

void apply(Mode mode) {
    g_mode = mode;
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QPalette p;
    if (mode == Mode::Dark) {
        const QColor window(0x2b, 0x2d, 0x31), base(0x1f, 0x21, 0x24), text(0xe6, 0xe6, 0xe6);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, window);
        p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8a, 0x8a));
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, window);
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::BrightText, Qt::white);
        p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
        p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb7));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Mid, QColor(0x45, 0x48, 0x4e));
        p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    } else {
        p = QApplication::style()->standardPalette();
        p.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf8, 0xfa));
    }
    QApplication::setPalette(p);
}

Mode current() { return g_mode; }
QString name(Mode mode) { return mode == Mode::Dark ? QStringLiteral("dark") : QStringLiteral("light"); }
Mode fromName(const QString& n) { return n == QLatin1String("dark") ? Mode::Dark : Mode::Light; }

QColor failing() { return g_mode == Mode::Dark ? QColor(0xef, 0x53, 0x50) : QColor(0xd3, 0x2f, 0x2f); }
QColor passing() { return g_mode == Mode::Dark ? QColor(0x66, 0xbb, 0x6a) : QColor(0x2e, 0x7d, 0x32); }
QColor muted() { return g_mode == Mode::Dark ? QColor(0x6b, 0x6e, 0x75) : QColor(0xb0, 0xb4, 0xba); }
QColor panelBase() { return QApplication::palette().color(QPalette::Base); }
QColor text() { return QApplication::palette().color(QPalette::Text); }

QColor roleColor(const QString& role) {
    const bool dark = g_mode == Mode::Dark;
    if (role == QLatin1String("batch")) return dark ? QColor(0x5f, 0x63, 0x6b) : QColor(0xcf, 0xd3, 0xd9);
    if (role == QLatin1String("length")) return dark ? QColor(0x2f, 0x5f, 0x9a) : QColor(0xbb, 0xd6, 0xf5);
    if (role == QLatin1String("channels")) return dark ? QColor(0x8a, 0x5a, 0x1e) : QColor(0xfb, 0xd9, 0xa8);
    return dark ? QColor(0x62, 0x45, 0x8f) : QColor(0xdc, 0xcc, 0xf2);  // features
}

}  // namespace Theme
