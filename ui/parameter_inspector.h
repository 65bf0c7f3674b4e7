#pragma once
// ParameterInspector: the running scenario's live parameters, each changeable while it runs — a
// slider with a field to type in for numbers and durations ("8", "40ms"), a check box for a
// switch, a list for a choice. Every change goes to Controller::set_param at once; a value it
// refuses (wrong form, out of range) is explained in red and the field shows the value in force.
//
//   inspector->show_run(run.controller());   // null: nothing to change
#include <QString>
#include <QWidget>
#include <functional>
#include <vector>

class QFormLayout;
class QLabel;
class QLineEdit;

namespace cs::scenario {
class Controller;
struct LiveParam;
}  // namespace cs::scenario

namespace cs::ui {

class ParameterInspector : public QWidget {
    Q_OBJECT

  public:
    explicit ParameterInspector(QWidget* parent = nullptr);

    void show_run(scenario::Controller* controller);

    int row_count() const noexcept { return int(m_rows.size()); }
    // The field of "node.param" (null if it has none: switches and choices).
    QLineEdit* field(const QString& node_dot_param) const;
    // Applies text typed for "node.param", as Enter in its field does. False: refused (see
    // error_text()) or no such parameter.
    bool type_value(const QString& node_dot_param, const QString& text);
    QString error_text() const;

  private:
    struct Row {
        QString key;  // "node.param"
        QLineEdit* field = nullptr;
        std::function<void()> sync;  // shows the value in force
    };
    QWidget* editor_for(const scenario::LiveParam& live, Row& row);
    bool apply(const scenario::LiveParam& live, double value);
    bool apply_text(const scenario::LiveParam& live, const QString& text);
    void clear_rows();

    scenario::Controller* m_controller = nullptr;
    QFormLayout* m_form;
    QLabel* m_empty;
    QLabel* m_error;
    std::vector<Row> m_rows;
};

}  // namespace cs::ui
