#pragma once
// RedisPanel: a live Redis in the window — a URL and password to connect with, the connection's
// health (connecting, up, down with the error and when it retries), and the server's numbers:
// ops/s, hit rate (over the last window and since start), memory, evicted and expired keys,
// clients and PING latency — of the server, or, for a node of a Redis Cluster, of the whole
// cluster (its masters added up, the ones down named). A RedisWatch samples on its own thread; the panel's timer only
// reads the latest view, so a dead or slow Redis never freezes the window. Bad input (a URL
// that does not parse) is shown in the panel.
//
//   auto* panel = new RedisPanel(window);
//   panel->connect_to(QStringLiteral("redis://127.0.0.1:6379"), {});
#include <QWidget>
#include <chrono>
#include <memory>
#include <utility>
#include <vector>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;

namespace cs::redis {
class RedisWatch;
}

namespace cs::ui {

class RedisPanel : public QWidget {
    Q_OBJECT

  public:
    explicit RedisPanel(QWidget* parent = nullptr,
                        std::chrono::milliseconds interval = std::chrono::seconds(1));
    ~RedisPanel() override;

    // Connects (replacing any watch) to `url`; a non-empty `password` overrides the URL's.
    // False, with the reason shown, when the URL does not parse.
    bool connect_to(const QString& url, const QString& password);
    void disconnect_from();
    // Reads the latest view and shows it (the panel's timer calls this).
    void refresh();

    QString health_text() const;  // what the health line shows
    QString figure(const QString& name) const;  // a figure's text by its label ("ops/s"...)

  private:
    void add_figure(QFormLayout* form, const QString& name);
    void on_connect_clicked();

    QLineEdit* m_url;
    QLineEdit* m_password;
    QPushButton* m_connect;
    QLabel* m_health;
    std::vector<std::pair<QString, QLabel*>> m_figures;
    QTimer* m_timer;
    const std::chrono::milliseconds m_interval;
    std::unique_ptr<redis::RedisWatch> m_watch;
};

}  // namespace cs::ui
