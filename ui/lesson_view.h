#pragma once
// LessonView: the lesson beside the running scenario — its Markdown text (what it shows, what to
// watch, what to try, why it matters) in a QTextBrowser. Built-in lessons carry their text in
// resources/lessons/NAME.md (compiled in); a scenario file of your own gets FILE.md from beside
// it when there is one, and otherwise its title and description, with a word on where a
// lesson text would go.
//
//   lesson->show_lesson("worker_pool", scenario);          // a built-in lesson
//   lesson->show_lesson("/home/me/pool.json", scenario);   // shows /home/me/pool.md if present
#include <QString>
#include <QWidget>

#include "scenario/scenario.h"

class QTextBrowser;

namespace cs::ui {

class LessonView : public QWidget {
    Q_OBJECT

  public:
    explicit LessonView(QWidget* parent = nullptr);

    // `source` is what ScenarioRun ran: a built-in name or a file.
    void show_lesson(const QString& source, const scenario::Scenario& scenario);
    void clear();

    // The Markdown of a built-in lesson; empty if there is none.
    static QString builtin_markdown(const QString& name);
    QString markdown() const { return m_markdown; }
    QTextBrowser* browser() const noexcept { return m_browser; }

  private:
    QTextBrowser* m_browser;
    QString m_markdown;
};

}  // namespace cs::ui
