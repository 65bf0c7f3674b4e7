#include "lesson_view.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace cs::ui {
namespace {

QString read_text(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
    return QString::fromUtf8(file.readAll());
}

}  // namespace

LessonView::LessonView(QWidget* parent) : QWidget(parent), m_browser(new QTextBrowser(this)) {
    m_browser->setOpenExternalLinks(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_browser);
    clear();
}

QString LessonView::builtin_markdown(const QString& name) {
    return read_text(QStringLiteral(":/lessons/%1.md").arg(name));
}

void LessonView::show_lesson(const QString& source, const scenario::Scenario& scenario) {
    QString text = builtin_markdown(source);
    if (text.isEmpty()) {
        const QFileInfo file(source);
        const QString beside = file.dir().filePath(file.completeBaseName() + QStringLiteral(".md"));
        if (file.exists()) text = read_text(beside);
        if (text.isEmpty()) {
            text = QStringLiteral("# %1\n\n%2\n\n*%3*\n")
                       .arg(QString::fromStdString(scenario.title),
                            QString::fromStdString(scenario.description),
                            tr("No lesson text for this scenario: write one in %1 and open the "
                               "scenario again.")
                                .arg(file.exists() ? beside : tr("resources/lessons/NAME.md")));
        }
    }
    m_markdown = text;
    m_browser->setMarkdown(text);
}

void LessonView::clear() {
    m_markdown.clear();
    m_browser->setMarkdown(tr("Pick a lesson at the left and press **Run**."));
}

}  // namespace cs::ui
