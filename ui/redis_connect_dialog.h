#pragma once
// RedisConnectDialog: Redis ▸ Connect… — a URL (redis://[[user]:password@]host[:port][/db]) and a
// password field that hides what is typed (and, when filled, overrides the URL's).
#include <QDialog>

class QLineEdit;

namespace cs::ui {

class RedisConnectDialog : public QDialog {
    Q_OBJECT

  public:
    explicit RedisConnectDialog(const QString& url, QWidget* parent = nullptr);

    QString url() const;
    QString password() const;
    QLineEdit* url_field() const noexcept { return m_url; }
    QLineEdit* password_field() const noexcept { return m_password; }

  private:
    QLineEdit* m_url;
    QLineEdit* m_password;
};

}  // namespace cs::ui
