#pragma once
// ScenarioBrowser: the lesson library beside the view — every built-in scenario by its title,
// the selected one's description below, Run (or a double-click, or Enter) to run it, and
// "Open file…" for a scenario file of one's own. The one running is marked; an open that failed
// is explained in red under the list until the next one succeeds. It only asks: the window runs
// what run_requested() names and says how it went (set_running, show_error).
#include <QString>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace cs::ui {

class ScenarioBrowser : public QWidget {
    Q_OBJECT

  public:
    explicit ScenarioBrowser(QWidget* parent = nullptr);

    // Marks the scenario running (a built-in name or a file's path) and clears the error.
    void set_running(const QString& file_or_name);
    void show_error(const QString& message);
    // Selects a built-in scenario by name (false if there is none).
    bool select(const QString& name);

    QListWidget* list() const noexcept { return m_list; }
    QString selected_name() const;  // the built-in selected, "" if none
    QString description_text() const;
    QString error_text() const;
    QPushButton* run_button() const noexcept { return m_run; }

  Q_SIGNALS:
    void run_requested(const QString& file_or_name);

  private:
    void show_selected();
    void run_selected();
    void open_file();

    QListWidget* m_list;
    QLabel* m_description;
    QLabel* m_error;
    QPushButton* m_run;
    QPushButton* m_open;
};

}  // namespace cs::ui
