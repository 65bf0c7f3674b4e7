#include "scenario_browser.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "scenario/builtin_scenarios.h"
#include "scenario/scenario_loader.h"

namespace cs::ui {

namespace {
constexpr int name_role = Qt::UserRole;
constexpr int description_role = Qt::UserRole + 1;
}  // namespace

ScenarioBrowser::ScenarioBrowser(QWidget* parent)
    : QWidget(parent),
      m_list(new QListWidget(this)),
      m_description(new QLabel(this)),
      m_error(new QLabel(this)),
      m_run(new QPushButton(tr("Run"), this)),
      m_open(new QPushButton(tr("Open file…"), this)) {
    for (const scenario::BuiltinScenario& builtin : scenario::builtin_scenarios()) {
        const std::string name(builtin.name);
        scenario::Scenario s = scenario::parse_scenario(std::string(builtin.text), name + ".json");
        auto* item = new QListWidgetItem(QString::fromStdString(s.title), m_list);
        item->setData(name_role, QString::fromStdString(name));
        item->setData(description_role, QString::fromStdString(s.description));
        item->setToolTip(QString::fromStdString(name));
    }
    m_description->setWordWrap(true);
    m_description->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_description->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_open);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 3);
    layout->addLayout(buttons);
    layout->addWidget(m_error);
    layout->addWidget(m_description, 2);

    connect(m_list, &QListWidget::currentItemChanged, this, &ScenarioBrowser::show_selected);
    connect(m_list, &QListWidget::itemActivated, this, &ScenarioBrowser::run_selected);
    connect(m_run, &QPushButton::clicked, this, &ScenarioBrowser::run_selected);
    connect(m_open, &QPushButton::clicked, this, &ScenarioBrowser::open_file);
}

void ScenarioBrowser::set_running(const QString& file_or_name) {
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem* item = m_list->item(i);
        QFont font = item->font();
        font.setBold(item->data(name_role).toString() == file_or_name);
        item->setFont(font);
    }
    select(file_or_name);
    m_error->clear();
    m_error->hide();
}

void ScenarioBrowser::show_error(const QString& message) {
    m_error->setText(message);
    m_error->show();
}

bool ScenarioBrowser::select(const QString& name) {
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(name_role).toString() == name) {
            m_list->setCurrentRow(i);
            return true;
        }
    return false;
}

QString ScenarioBrowser::selected_name() const {
    QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(name_role).toString() : QString();
}

QString ScenarioBrowser::description_text() const {
    return m_description->text();
}

QString ScenarioBrowser::error_text() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

void ScenarioBrowser::show_selected() {
    QListWidgetItem* item = m_list->currentItem();
    m_description->setText(item ? item->data(description_role).toString() : QString());
}

void ScenarioBrowser::run_selected() {
    if (QString name = selected_name(); !name.isEmpty()) Q_EMIT run_requested(name);
}

void ScenarioBrowser::open_file() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open a scenario"), QString(), tr("Scenario files (*.json);;All files (*)"));
    if (!file.isEmpty()) Q_EMIT run_requested(file);
}

}  // namespace cs::ui
