#include "parameter_inspector.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>
#include <cmath>
#include <exception>

#include "scenario/controller.h"
#include "scenario/live_param_text.h"

namespace cs::ui {
namespace {

constexpr int slider_steps = 1000;

// Durations and rates spanning decades move along a log scale, so that 1ms..500ms is as easy to
// set at its low end as at its high end.
bool logarithmic(const scenario::LiveParam& live) {
    return live.min > 0 && live.max / live.min >= 50;
}

double value_at(const scenario::LiveParam& live, int position) {
    const double t = double(position) / slider_steps;
    if (logarithmic(live)) return live.min * std::pow(live.max / live.min, t);
    return live.min + t * (live.max - live.min);
}

int position_of(const scenario::LiveParam& live, double value) {
    if (live.max <= live.min) return 0;
    const double t = logarithmic(live) ? std::log(value / live.min) / std::log(live.max / live.min)
                                       : (value - live.min) / (live.max - live.min);
    return int(std::lround(std::clamp(t, 0.0, 1.0) * slider_steps));
}

}  // namespace

ParameterInspector::ParameterInspector(QWidget* parent)
    : QWidget(parent),
      m_form(new QFormLayout),
      m_empty(new QLabel(tr("No scenario is running."), this)),
      m_error(new QLabel(this)) {
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    m_empty->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
    layout->addLayout(m_form);
    layout->addWidget(m_error);
    layout->addStretch(1);
}

void ParameterInspector::clear_rows() {
    while (m_form->rowCount() > 0) m_form->removeRow(0);
    m_rows.clear();
}

void ParameterInspector::show_run(scenario::Controller* controller) {
    clear_rows();
    m_error->clear();
    m_error->hide();
    m_controller = controller;
    if (!controller) {
        m_empty->setText(tr("No scenario is running."));
        m_empty->show();
        return;
    }
    const scenario::Scenario& s = controller->scenario();
    m_empty->setVisible(s.live.empty());
    m_empty->setText(tr("This scenario has no live parameters."));
    m_rows.reserve(s.live.size());
    for (const scenario::LiveParam& live : s.live) {
        Row& row = m_rows.emplace_back();
        row.key = QString::fromStdString(live.node + "." + live.param);
        QWidget* editor = editor_for(live, row);
        editor->setToolTip(QString::fromStdString(scenario::live_param_spec(s, live).help));
        m_form->addRow(row.key, editor);
        row.sync();
    }
}

QWidget* ParameterInspector::editor_for(const scenario::LiveParam& live, Row& row) {
    const scenario::Scenario& s = m_controller->scenario();
    const scenario::ParamSpec& spec = scenario::live_param_spec(s, live);
    scenario::Controller* c = m_controller;
    auto current = [c, &live] { return c->param(live.node, live.param); };

    if (spec.type == scenario::ParamType::boolean) {
        auto* box = new QCheckBox(this);
        row.sync = [box, current] {
            QSignalBlocker quiet(box);
            box->setChecked(current() != 0);
        };
        connect(box, &QCheckBox::toggled, this, [this, &live](bool on) { apply(live, on ? 1 : 0); });
        return box;
    }
    if (spec.type == scenario::ParamType::choice) {
        auto* list = new QComboBox(this);
        for (const std::string& choice : spec.choices) list->addItem(QString::fromStdString(choice));
        row.sync = [list, current] {
            QSignalBlocker quiet(list);
            list->setCurrentIndex(int(current()));
        };
        connect(list, &QComboBox::currentIndexChanged, this,
                [this, &live](int i) { apply(live, double(i)); });
        return list;
    }

    auto* editor = new QWidget(this);
    auto* layout = new QHBoxLayout(editor);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* slider = new QSlider(Qt::Horizontal, editor);
    slider->setRange(0, slider_steps);
    auto* field = new QLineEdit(editor);
    field->setObjectName(row.key);
    field->setMaximumWidth(field->fontMetrics().horizontalAdvance(QStringLiteral("000.000ms")));
    layout->addWidget(slider, 1);
    layout->addWidget(field);
    row.field = field;
    row.sync = [slider, field, current, &s, &live] {
        const double v = current();
        QSignalBlocker quiet(slider);
        slider->setValue(position_of(live, v));
        field->setText(QString::fromStdString(scenario::format_live_value(s, live, v)));
    };
    const bool whole = spec.type == scenario::ParamType::integer;
    connect(slider, &QSlider::valueChanged, this, [this, &live, whole](int position) {
        const double v = value_at(live, position);
        apply(live, whole ? std::round(v) : v);
    });
    connect(field, &QLineEdit::returnPressed, this,
            [this, &live, field] { apply_text(live, field->text()); });
    return editor;
}

bool ParameterInspector::apply_text(const scenario::LiveParam& live, const QString& text) {
    double value = 0;
    try {
        value = scenario::parse_live_value(m_controller->scenario(), live, text.toStdString());
    } catch (const std::exception& e) {
        m_error->setText(QString::fromUtf8(e.what()));
        m_error->show();
        for (Row& row : m_rows) row.sync();
        return false;
    }
    return apply(live, value);
}

bool ParameterInspector::apply(const scenario::LiveParam& live, double value) {
    bool ok = true;
    try {
        m_controller->set_param(live.node, live.param, value);
        m_error->clear();
        m_error->hide();
    } catch (const std::exception& e) {
        m_error->setText(QString::fromUtf8(e.what()));
        m_error->show();
        ok = false;
    }
    for (Row& row : m_rows) row.sync();
    return ok;
}

QLineEdit* ParameterInspector::field(const QString& node_dot_param) const {
    for (const Row& row : m_rows)
        if (row.key == node_dot_param) return row.field;
    return nullptr;
}

bool ParameterInspector::type_value(const QString& node_dot_param, const QString& text) {
    if (!m_controller) return false;
    for (const scenario::LiveParam& live : m_controller->scenario().live)
        if (QString::fromStdString(live.node + "." + live.param) == node_dot_param)
            return apply_text(live, text);
    return false;
}

QString ParameterInspector::error_text() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

}  // namespace cs::ui
