#include "invalidation_log.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "invalidation_log_model.h"

namespace cs::ui {

// Rows whose cause is the one chosen (any when none) and whose text matches in some column.
class InvalidationFilter : public QSortFilterProxyModel {
  public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void set_cause(const QString& cause) {
        m_cause = cause;
        invalidateFilter();
    }

  protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        if (!m_cause.isEmpty()) {
            const QModelIndex cause =
                sourceModel()->index(row, InvalidationLogModel::cause_column, parent);
            if (sourceModel()->data(cause, Qt::DisplayRole).toString() != m_cause) return false;
        }
        return QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }

  private:
    QString m_cause;
};

InvalidationLog::InvalidationLog(QWidget* parent)
    : QWidget(parent),
      m_model(new InvalidationLogModel(this)),
      m_filter(new InvalidationFilter(this)),
      m_text(new QLineEdit(this)),
      m_cause(new QComboBox(this)),
      m_view(new QTableView(this)),
      m_count(new QLabel(this)) {
    m_filter->setSourceModel(m_model);
    m_filter->setSortRole(InvalidationLogModel::sort_role);
    m_filter->setFilterKeyColumn(-1);  // the text may match any column
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setDynamicSortFilter(true);

    m_text->setPlaceholderText(tr("Filter: key, cache, source…"));
    m_text->setClearButtonEnabled(true);
    connect(m_text, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_filter->setFilterFixedString(text);
        update_count();
    });
    m_cause->addItem(tr("Every cause"), QString());
    for (const QString& cause :
         {QStringLiteral("key"), QStringLiteral("prefix"), QStringLiteral("tag"),
          QStringLiteral("version"), tr("version bump"), tr("expired (TTL)"), tr("deleted")})
        m_cause->addItem(cause, cause);
    connect(m_cause, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->set_cause(m_cause->currentData().toString());
        update_count();
    });

    m_view->setModel(m_filter);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(InvalidationLogModel::time_column, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_text, 1);
    filters->addWidget(m_cause);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_count);
    update_count();
}

void InvalidationLog::append(const std::vector<telemetry::CacheEvent>& events) {
    const int before = m_model->rowCount();
    const uint64_t dropped = m_model->dropped();
    m_model->append(events);
    if (m_model->rowCount() != before || m_model->dropped() != dropped) update_count();
}

void InvalidationLog::clear() {
    m_model->clear();
    update_count();
}

int InvalidationLog::shown_rows() const {
    return m_filter->rowCount();
}

void InvalidationLog::update_count() {
    QString text = tr("%1 of %2 shown").arg(m_filter->rowCount()).arg(m_model->rowCount());
    if (m_model->dropped() > 0) text += tr(" · %1 older ones dropped").arg(m_model->dropped());
    m_count->setText(text);
}

}  // namespace cs::ui
