#include "redis_connect_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>

namespace cs::ui {

RedisConnectDialog::RedisConnectDialog(const QString& url, QWidget* parent)
    : QDialog(parent), m_url(new QLineEdit(url, this)), m_password(new QLineEdit(this)) {
    setWindowTitle(tr("Connect to Redis"));
    m_url->setPlaceholderText(QStringLiteral("redis://127.0.0.1:6379"));
    m_url->setMinimumWidth(320);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("optional; overrides the URL's"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* form = new QFormLayout(this);
    form->addRow(tr("URL"), m_url);
    form->addRow(tr("Password"), m_password);
    form->addRow(buttons);
}

QString RedisConnectDialog::url() const {
    return m_url->text().trimmed().isEmpty() ? m_url->placeholderText() : m_url->text().trimmed();
}

QString RedisConnectDialog::password() const {
    return m_password->text();
}

}  // namespace cs::ui
