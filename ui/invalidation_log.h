#pragma once
// InvalidationLog: the invalidation log dock — the table of InvalidationLogModel, sortable by
// any column (newest first to begin with), with a text filter over every column and a list to
// keep one cause (key, prefix, tag, version, version bump, expired, deleted).
#include <QWidget>

#include "telemetry/cache_event_log.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace cs::ui {

class InvalidationLogModel;
class InvalidationFilter;

class InvalidationLog : public QWidget {
    Q_OBJECT

  public:
    explicit InvalidationLog(QWidget* parent = nullptr);

    void append(const std::vector<telemetry::CacheEvent>& events);
    void clear();

    InvalidationLogModel* model() const noexcept { return m_model; }
    QTableView* view() const noexcept { return m_view; }
    QLineEdit* text_filter() const noexcept { return m_text; }
    QComboBox* cause_filter() const noexcept { return m_cause; }
    int shown_rows() const;

  private:
    void update_count();

    InvalidationLogModel* m_model;
    InvalidationFilter* m_filter;
    QLineEdit* m_text;
    QComboBox* m_cause;
    QTableView* m_view;
    QLabel* m_count;
};

}  // namespace cs::ui
