#include "redis_panel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStringList>
#include <QTimer>
#include <QVBoxLayout>

#include "redis/redis_error.h"
#include "redis/redis_watch.h"

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

}  // namespace

RedisPanel::RedisPanel(QWidget* parent, std::chrono::milliseconds interval)
    : QWidget(parent),
      m_url(new QLineEdit(this)),
      m_password(new QLineEdit(this)),
      m_connect(new QPushButton(tr("Connect"), this)),
      m_health(new QLabel(tr("not connected"), this)),
      m_timer(new QTimer(this)),
      m_interval(interval) {
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
    for (const char* name : {"servers", "ops/s", "hit rate (window)", "hit rate (since start)",
                             "memory", "evicted keys", "expired keys", "clients", "PING p50",
                             "PING p99"})
        add_figure(form, QString::fromUtf8(name));
    layout->addLayout(form);
    layout->addStretch(1);

    connect(m_connect, &QPushButton::clicked, this, &RedisPanel::on_connect_clicked);
    connect(m_url, &QLineEdit::returnPressed, this, &RedisPanel::on_connect_clicked);
    connect(m_timer, &QTimer::timeout, this, &RedisPanel::refresh);
    m_timer->start(std::chrono::milliseconds(200));
}

RedisPanel::~RedisPanel() = default;

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
    m_watch.reset();
    m_url->setText(url);
    try {
        redis::RedisUrl parsed = redis::parse_redis_url(url.toStdString());
        if (!password.isEmpty()) parsed.password = redis::Secret(password.toStdString());
        parsed = redis::with_credentials(std::move(parsed), {});
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
    m_watch.reset();
    m_connect->setText(tr("Connect"));
    m_health->setText(tr("not connected"));
    for (auto& [name, label] : m_figures) label->setText(QStringLiteral("—"));
}

void RedisPanel::refresh() {
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
