#pragma once
// InvalidationLogModel: the invalidation log as a table — every invalidation that reached a
// cache (by key, prefix, tag or version, with where it came from and how long it took to
// arrive), every namespace version bump, and every entry that left a cache by TTL or by an
// explicit delete. Evictions for room and replaced values are not invalidations and are left
// out. Newest last; bounded to `max_rows` (the oldest go, counted in dropped()).
#include <QAbstractTableModel>
#include <deque>
#include <vector>

#include "telemetry/cache_event_log.h"

namespace cs::ui {

class InvalidationLogModel : public QAbstractTableModel {
    Q_OBJECT

  public:
    enum Column {
        time_column,
        cache_column,
        subject_column,
        cause_column,
        source_column,
        delay_column,
        entries_column,
        column_count
    };
    static constexpr int sort_role = Qt::UserRole;  // numbers for time, delay, entries
    static constexpr size_t max_rows = 10'000;

    explicit InvalidationLogModel(QObject* parent = nullptr);

    static bool is_invalidation(const telemetry::CacheEvent& e);
    // Adds the invalidations among `events` (oldest first, as snapshots carry them).
    void append(const std::vector<telemetry::CacheEvent>& events);
    void clear();
    uint64_t dropped() const noexcept { return m_dropped; }
    // "key", "prefix", "tag", "version", "version bump", "expired (TTL)", "deleted".
    static QString cause_text(const telemetry::CacheEvent& e);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    std::deque<telemetry::CacheEvent> m_rows;
    uint64_t m_dropped = 0;
};

}  // namespace cs::ui
