#include "redis_panel.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStringList>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <deque>
#include <mutex>

#include "redis/keyspace_events.h"
#include "redis/redis_error.h"
#include "redis/redis_watch.h"
#include "time_series_chart.h"

namespace cs::ui {

namespace {

QString ms_text(rt::Duration d) {
    return QString::number(std::chrono::duration<double, std::milli>(d).count(), 'f', 2) +
           QStringLiteral(" ms");
}

QString bytes_text(uint64_t bytes) {
    const double mib = double(bytes) / (1024.0 * 1024.0);
    return mib >= 1 ? QString::number(mib, 'f', 1) + QStringLiteral(" MiB")
                    : QString::number(double(bytes) / 1024.0, 'f', 1) + QStringLiteral(" KiB");
}

// "one" for a single server; a cluster's masters, the ones down named.
QString servers_text(const std::vector<redis::ClusterSample::Node>& masters) {
    if (masters.empty()) return QObject::tr("one");
    QStringList down;
    for (const auto& m : masters)
        if (!m.sample) down << QString::fromStdString(m.node);
    QString text = masters.size() == 1 ? QObject::tr("cluster of 1 master")
                                       : QObject::tr("cluster of %1 masters").arg(masters.size());
    if (!down.isEmpty()) text += QObject::tr(", down: %1").arg(down.join(QStringLiteral(", ")));
    return text;
}

QString percent(double ratio) {
    return QString::number(100 * ratio, 'f', 1) + QLatin1Char('%');
}

constexpr size_t max_queued_events = 10'000;  // between two refreshes; more are counted lost
constexpr int max_shown_events = 500;

}  // namespace

// Keyspace events from the subscriber's thread to the panel's timer.
struct RedisPanel::EventQueue {
    std::mutex mu;
    std::deque<redis::KeyspaceEvent> events;
    uint64_t lost = 0;

    void push(const redis::KeyspaceEvent& e) {
        std::lock_guard lock(mu);
        if (events.size() >= max_queued_events) {
            ++lost;
            return;
        }
        events.push_back(e);
    }
};

RedisPanel::RedisPanel(QWidget* parent, std::chrono::milliseconds interval)
    : QWidget(parent),
      m_url(new QLineEdit(this)),
      m_password(new QLineEdit(this)),
      m_connect(new QPushButton(tr("Connect"), this)),
      m_health(new QLabel(tr("not connected"), this)),
      m_timer(new QTimer(this)),
      m_interval(interval),
      m_ops(new TimeSeriesChart(tr("Operations"), tr("per second"), this)),
      m_hit_rate(new TimeSeriesChart(tr("Hit rate"), tr("% of lookups"), this)),
      m_memory(new TimeSeriesChart(tr("Memory"), tr("MiB"), this)),
      m_removals(new TimeSeriesChart(tr("Evictions and expirations"), tr("keys per second"), this)),
      m_ping(new TimeSeriesChart(tr("PING latency"), tr("ms"), this)),
      m_events_box(new QCheckBox(tr("Stream keyspace events"), this)),
      m_notify_box(new QCheckBox(tr("turn them on in the server while streaming"), this)),
      m_events_view(new QPlainTextEdit(this)) {
    m_url->setPlaceholderText(QStringLiteral("redis://127.0.0.1:6379"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("password (optional)"));
    m_health->setWordWrap(true);
    m_health->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    auto* connect_row = new QHBoxLayout;
    connect_row->addWidget(m_url, 3);
    connect_row->addWidget(m_password, 2);
    connect_row->addWidget(m_connect);
    layout->addLayout(connect_row);
    layout->addWidget(m_health);
    auto* form = new QFormLayout;
    for (const char* name :
         {"servers", "ops/s", "hit rate (window)", "hit rate (since start)", "memory",
          "evicted keys", "expired keys", "clients", "PING p50", "PING p99"})
        add_figure(form, QString::fromUtf8(name));
    layout->addLayout(form);

    m_hit_rate->set_fixed_y(0, 100);
    auto* charts = new QTabWidget(this);
    charts->setDocumentMode(true);
    for (TimeSeriesChart* c : {m_ops, m_hit_rate, m_memory, m_removals, m_ping}) {
        c->set_x_title(tr("seconds since the first sample"));  // Redis's clock, not the lesson's
        charts->addTab(c, c->title());
    }
    layout->addWidget(charts, 2);

    m_notify_box->setToolTip(
        tr("Sets notify-keyspace-events on the server (every client sees the change) and puts "
           "the previous setting back when streaming stops"));
    m_events_view->setReadOnly(true);
    m_events_view->setMaximumBlockCount(max_shown_events);
    m_events_view->setPlaceholderText(tr("Keyspace events appear here: time, db, event, key."));
    auto* events_row = new QHBoxLayout;
    events_row->addWidget(m_events_box);
    events_row->addWidget(m_notify_box, 1);
    layout->addLayout(events_row);
    layout->addWidget(m_events_view, 1);
    connect(m_events_box, &QCheckBox::toggled, this,
            [this](bool on) { stream_events(on, m_notify_box->isChecked()); });

    connect(m_connect, &QPushButton::clicked, this, &RedisPanel::on_connect_clicked);
    connect(m_url, &QLineEdit::returnPressed, this, &RedisPanel::on_connect_clicked);
    connect(m_timer, &QTimer::timeout, this, &RedisPanel::refresh);
    m_timer->start(std::chrono::milliseconds(200));
}

RedisPanel::~RedisPanel() {
    stop_events();
}

void RedisPanel::add_figure(QFormLayout* form, const QString& name) {
    auto* value = new QLabel(QStringLiteral("—"), this);
    form->addRow(name, value);
    m_figures.emplace_back(name, value);
}

void RedisPanel::on_connect_clicked() {
    if (m_watch) {
        disconnect_from();
        return;
    }
    connect_to(m_url->text().trimmed(), m_password->text());
}

bool RedisPanel::connect_to(const QString& url, const QString& password) {
    stop_events();
    m_watch.reset();
    clear_charts();
    m_url->setText(url);
    try {
        redis::RedisUrl parsed = redis::parse_redis_url(url.toStdString());
        if (!password.isEmpty()) parsed.password = redis::Secret(password.toStdString());
        parsed = redis::with_credentials(std::move(parsed), {});
        m_watched_parsed = std::make_unique<redis::RedisUrl>(parsed);
        m_watch = std::make_unique<redis::RedisWatch>(std::move(parsed), m_interval);
    } catch (const std::exception& e) {
        m_health->setText(tr("Not connected: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    m_connect->setText(tr("Disconnect"));
    refresh();
    return true;
}

void RedisPanel::disconnect_from() {
    stop_events();
    m_watch.reset();
    m_watched_parsed.reset();
    m_connect->setText(tr("Connect"));
    m_health->setText(tr("not connected"));
    for (auto& [name, label] : m_figures) label->setText(QStringLiteral("—"));
}

void RedisPanel::refresh() {
    drain_events();
    if (!m_watch) return;
    redis::RedisView v = m_watch->latest();
    const QString url = QString::fromStdString(v.url);
    switch (v.health.state) {
        case redis::HealthState::connecting:
            m_health->setText(tr("%1: connecting").arg(url));
            break;
        case redis::HealthState::up:
            m_health->setText(tr("%1: up").arg(url));
            break;
        case redis::HealthState::down: {
            const double retry = double(v.health.retry_in.count()) / 1000.0;
            m_health->setText(tr("%1: down (%2); retrying in %3 s")
                                  .arg(url, QString::fromStdString(v.health.last_error))
                                  .arg(retry, 0, 'f', 1));
            break;
        }
    }
    if (!v.sample) return;
    const redis::MonitorSample& s = *v.sample;
    const QString values[] = {servers_text(v.masters),
                              QString::number(s.ops_per_sec(), 'f', 0),
                              percent(s.hit_rate_window()),
                              percent(s.info.hit_rate()),
                              bytes_text(s.info.used_memory),
                              QString::number(s.info.evicted_keys),
                              QString::number(s.info.expired_keys),
                              QString::number(s.info.connected_clients),
                              ms_text(s.ping.p50),
                              ms_text(s.ping.p99)};
    for (size_t i = 0; i < m_figures.size(); ++i) m_figures[i].second->setText(values[i]);
    if (v.samples != m_samples_charted) {
        m_samples_charted = v.samples;
        chart_sample(s);
    }
}

void RedisPanel::chart_sample(const redis::MonitorSample& s) {
    using seconds = std::chrono::duration<double>;
    if (!m_first_sample_at) m_first_sample_at = s.info.at;
    const double t = seconds(s.info.at - *m_first_sample_at).count();
    m_ops->append(tr("ops/s"), t, s.ops_per_sec());
    m_hit_rate->append(tr("hit rate"), t, 100 * s.hit_rate_window());
    m_memory->append(tr("used memory"), t, double(s.info.used_memory) / (1024.0 * 1024.0));
    m_ping->append(QStringLiteral("p50"), t,
                   std::chrono::duration<double, std::milli>(s.ping.p50).count());
    m_ping->append(QStringLiteral("p99"), t,
                   std::chrono::duration<double, std::milli>(s.ping.p99).count());
    const std::pair<uint64_t, uint64_t> removed{s.info.evicted_keys, s.info.expired_keys};
    if (m_last_removals) {
        const double dt = seconds(s.info.at - m_last_removals->first).count();
        const auto& [evicted, expired] = m_last_removals->second;
        if (dt > 0 && removed.first >= evicted && removed.second >= expired) {
            m_removals->append(tr("evicted"), t, double(removed.first - evicted) / dt);
            m_removals->append(tr("expired"), t, double(removed.second - expired) / dt);
        }
    }
    m_last_removals = {s.info.at, removed};
}

void RedisPanel::clear_charts() {
    for (TimeSeriesChart* c : {m_ops, m_hit_rate, m_memory, m_removals, m_ping}) c->clear();
    m_samples_charted = 0;
    m_first_sample_at.reset();
    m_last_removals.reset();
}

bool RedisPanel::stream_events(bool on, bool turn_on_notifications) {
    stop_events();
    if (!on) return true;
    auto refuse = [this](const QString& why) {
        m_events_view->appendPlainText(why);
        stop_events();
        const QSignalBlocker block(m_events_box);
        m_events_box->setChecked(false);
        return false;
    };
    if (!m_watched_parsed) return refuse(tr("Connect to a Redis first."));
    try {
        m_events_client = std::make_unique<redis::RedisClient>(*m_watched_parsed);
        if (turn_on_notifications) {
            m_notifications = std::make_unique<redis::KeyspaceNotifications>(*m_events_client);
        } else if (const std::string setting = redis::notification_setting(*m_events_client);
                   !redis::sends_keyevents(setting)) {
            return refuse(tr("The server sends no keyspace events (notify-keyspace-events is "
                             "\"%1\"): tick \"turn them on\" to set it while streaming.")
                              .arg(QString::fromStdString(setting)));
        }
        auto queue = std::make_shared<EventQueue>();
        m_stream = std::make_unique<redis::KeyspaceEventStream>(
            *m_watched_parsed, [queue](const redis::KeyspaceEvent& e) { queue->push(e); });
        m_events = std::move(queue);
    } catch (const std::exception& e) {
        return refuse(tr("Keyspace events: %1").arg(QString::fromUtf8(e.what())));
    }
    {
        const QSignalBlocker block(m_events_box);
        m_events_box->setChecked(true);
    }
    return true;
}

void RedisPanel::stop_events() {
    m_stream.reset();  // no more events arrive
    drain_events();
    m_events.reset();
    if (m_notifications) {
        try {
            m_notifications->restore();
        } catch (const std::exception& e) {
            m_events_view->appendPlainText(tr("Could not put notify-keyspace-events back: %1")
                                               .arg(QString::fromUtf8(e.what())));
        }
        m_notifications.reset();
    }
    m_events_client.reset();
}

void RedisPanel::drain_events() {
    if (!m_events) return;
    std::deque<redis::KeyspaceEvent> events;
    uint64_t lost = 0;
    {
        std::lock_guard lock(m_events->mu);
        events.swap(m_events->events);
        lost = std::exchange(m_events->lost, 0);
    }
    for (const redis::KeyspaceEvent& e : events)
        m_events_view->appendPlainText(QString::fromStdString(redis::keyevent_text(e)));
    if (lost > 0)
        m_events_view->appendPlainText(tr("… %1 events not shown (too many at once)").arg(lost));
}

QString RedisPanel::events_text() const {
    return m_events_view->toPlainText();
}

QString RedisPanel::health_text() const {
    return m_health->text();
}

QString RedisPanel::figure(const QString& name) const {
    for (const auto& [label, value] : m_figures)
        if (label == name) return value->text();
    return {};
}

}  // namespace cs::ui
