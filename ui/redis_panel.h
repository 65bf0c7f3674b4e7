#pragma once
// RedisPanel: a live Redis in the window — a URL and password to connect with, the connection's
// health (connecting, up, down with the error and when it retries), and the server's numbers:
// ops/s, hit rate (over the last window and since start), memory, evicted and expired keys,
// clients and PING latency — of the server, or, for a node of a Redis Cluster, of the whole
// cluster (its masters added up, the ones down named) — and the same over time as charts (ops/s,
// hit rate, memory, evictions and expirations per second, PING p50/p99). On request it streams
// the server's keyspace events (set, del, expired, evicted... with the key), turning the
// server's notifications on for as long as it watches if asked to (and putting the setting back). A
// RedisWatch samples on its own thread; the panel's timer only reads the latest view, so a dead or
// slow Redis never freezes the window. Bad input (a URL that does not parse) is shown in the panel.
//
//   auto* panel = new RedisPanel(window);
//   panel->connect_to(QStringLiteral("redis://127.0.0.1:6379"), {});
#include <QWidget>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

class QCheckBox;
class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QLineEdit;
class QPushButton;
class QTimer;

namespace cs::redis {
class KeyspaceEventStream;
class KeyspaceNotifications;
class RedisClient;
class RedisWatch;
struct MonitorSample;
struct RedisUrl;
}  // namespace cs::redis

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

    QString health_text() const;                // what the health line shows
    QString figure(const QString& name) const;  // a figure's text by its label ("ops/s"...)

    // Streams keyspace events while on; `turn_on_notifications` sets the server's
    // notify-keyspace-events for as long as it streams. False, with the reason in the event
    // view, when Redis refuses or sends no key events.
    bool stream_events(bool on, bool turn_on_notifications);
    QString events_text() const;  // what the event view shows
    class TimeSeriesChart* ops_chart() const noexcept {
        return m_ops;
    }
    class TimeSeriesChart* ping_chart() const noexcept {
        return m_ping;
    }

  private:
    struct EventQueue;
    void add_figure(QFormLayout* form, const QString& name);
    void on_connect_clicked();
    void chart_sample(const redis::MonitorSample& s);
    void clear_charts();
    void drain_events();
    void stop_events();

    QLineEdit* m_url;
    QLineEdit* m_password;
    QPushButton* m_connect;
    QLabel* m_health;
    std::vector<std::pair<QString, QLabel*>> m_figures;
    QTimer* m_timer;
    const std::chrono::milliseconds m_interval;
    std::unique_ptr<redis::RedisWatch> m_watch;
    std::unique_ptr<redis::RedisUrl> m_watched_parsed;  // with credentials, for the event stream

    class TimeSeriesChart* m_ops;
    class TimeSeriesChart* m_hit_rate;
    class TimeSeriesChart* m_memory;
    class TimeSeriesChart* m_removals;
    class TimeSeriesChart* m_ping;
    uint64_t m_samples_charted = 0;
    std::optional<std::chrono::steady_clock::time_point> m_first_sample_at;
    std::optional<std::pair<std::chrono::steady_clock::time_point, std::pair<uint64_t, uint64_t>>>
        m_last_removals;  // when, and evicted and expired keys then

    QCheckBox* m_events_box;
    QCheckBox* m_notify_box;
    QPlainTextEdit* m_events_view;
    std::shared_ptr<EventQueue> m_events;
    std::unique_ptr<redis::RedisClient> m_events_client;
    std::unique_ptr<redis::KeyspaceNotifications> m_notifications;
    std::unique_ptr<redis::KeyspaceEventStream> m_stream;
};

}  // namespace cs::ui
