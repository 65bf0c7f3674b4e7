#include "invalidation_log_model.h"

#include <chrono>

#include "snapshot_text.h"

namespace cs::ui {

InvalidationLogModel::InvalidationLogModel(QObject* parent) : QAbstractTableModel(parent) {}

bool InvalidationLogModel::is_invalidation(const telemetry::CacheEvent& e) {
    using Kind = telemetry::CacheEvent::Kind;
    if (e.kind != Kind::removal) return true;
    return e.cause == "expired" || e.cause == "explicit";
}

QString InvalidationLogModel::cause_text(const telemetry::CacheEvent& e) {
    using Kind = telemetry::CacheEvent::Kind;
    switch (e.kind) {
        case Kind::version_bump:
            return tr("version bump");
        case Kind::invalidation:
            return QString::fromStdString(e.cause);
        case Kind::removal:
            return e.cause == "expired" ? tr("expired (TTL)") : tr("deleted");
    }
    return {};
}

void InvalidationLogModel::append(const std::vector<telemetry::CacheEvent>& events) {
    std::vector<const telemetry::CacheEvent*> kept;
    for (const telemetry::CacheEvent& e : events)
        if (is_invalidation(e)) kept.push_back(&e);
    if (kept.empty()) return;
    // More than fit: only the newest are shown at all.
    size_t skip = kept.size() > max_rows ? kept.size() - max_rows : 0;
    m_dropped += skip;
    const size_t incoming = kept.size() - skip;
    if (m_rows.size() + incoming > max_rows) {
        const size_t old = m_rows.size() + incoming - max_rows;
        beginRemoveRows({}, 0, static_cast<int>(old) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + static_cast<std::ptrdiff_t>(old));
        endRemoveRows();
        m_dropped += old;
    }
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(incoming) - 1);
    for (size_t i = skip; i < kept.size(); ++i) m_rows.push_back(*kept[i]);
    endInsertRows();
}

void InvalidationLogModel::clear() {
    beginResetModel();
    m_rows.clear();
    m_dropped = 0;
    endResetModel();
}

int InvalidationLogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int InvalidationLogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant InvalidationLogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= column_count) return {};
    const telemetry::CacheEvent& e = m_rows[size_t(index.row())];
    const auto column = static_cast<Column>(index.column());
    if (role == sort_role) {
        switch (column) {
            case time_column:
                return QVariant::fromValue<qint64>(e.time.time_since_epoch().count());
            case delay_column:
                return QVariant::fromValue<qint64>(e.delay_ns);
            case entries_column:
                return QVariant::fromValue<quint64>(e.entries);
            default:
                break;
        }
        role = Qt::DisplayRole;
    }
    if (role == Qt::TextAlignmentRole) {
        const bool number = column == delay_column || column == entries_column;
        return QVariant(Qt::AlignVCenter | (number ? Qt::AlignRight : Qt::AlignLeft));
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (column) {
        case time_column:
            return clock_text(e.time);
        case cache_column:
            return e.cache.empty() ? no_value : QString::fromStdString(e.cache);
        case subject_column:
            return QString::fromStdString(e.subject);
        case cause_column:
            return cause_text(e);
        case source_column:
            return e.source.empty() ? no_value : QString::fromStdString(e.source);
        case delay_column:
            return e.kind == telemetry::CacheEvent::Kind::invalidation
                       ? QStringLiteral("%1 ms").arg(double(e.delay_ns) / 1e6, 0, 'f', 2)
                       : no_value;
        case entries_column:
            return QString::number(e.entries);
        case column_count:
            break;
    }
    return {};
}

QVariant InvalidationLogModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case time_column:
            return tr("Time");
        case cache_column:
            return tr("Cache");
        case subject_column:
            return tr("Key / prefix / tag / namespace");
        case cause_column:
            return tr("Cause");
        case source_column:
            return tr("Source");
        case delay_column:
            return tr("Delay");
        case entries_column:
            return tr("Entries");
        default:
            return {};
    }
}

}  // namespace cs::ui
