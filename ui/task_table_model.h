#pragma once
// TaskTableModel: the engine's live tasks as a table — Id, Name, State, Waiting on — fed one
// snapshot at a time. update() diffs the new snapshot against the rows shown (by task id):
// tasks that ended are removed, new tasks inserted, changed cells reported with dataChanged, so
// selection and scroll position survive the 30 Hz refresh. A snapshot equal to the last one
// emits nothing.
//
//   TaskTableModel model;
//   model.update(engine.snapshot());
//   view->setModel(&model);
//
// Data roles: DisplayRole (text), sort_role (a key that sorts numerically / by state order),
// ForegroundRole and BackgroundRole (the State cell is coloured by state; rows of deadlocked
// tasks are tinted red), ToolTipRole, TextAlignmentRole. GUI thread only, like every Qt model.
#include <QAbstractTableModel>
#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

#include "telemetry/snapshot.h"

namespace cs::ui {

class TaskTableModel : public QAbstractTableModel {
    Q_OBJECT

  public:
    enum Column { id_column, name_column, state_column, waiting_on_column, column_count };
    static constexpr int sort_role = Qt::UserRole + 1;

    explicit TaskTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Shows `snapshot`'s tasks (none for a null snapshot).
    void update(std::shared_ptr<const telemetry::Snapshot> snapshot);
    // The snapshot shown, or null before the first update.
    const std::shared_ptr<const telemetry::Snapshot>& snapshot() const { return m_snapshot; }

    // The row of a task, or -1 if it is not shown.
    int row_of(uint64_t task_id) const;
    uint64_t task_id(int row) const;
    // Whether the task on `row` is one of the current deadlock report's waiters.
    bool in_deadlock(int row) const;

  private:
    struct Row {
        uint64_t id = 0;
        QString name;
        rt::TaskState state = rt::TaskState::runnable;
        rt::WaitReason reason = rt::WaitReason::none;
        uint64_t wait_object = 0;
        QString waiting_on;
        bool deadlocked = false;
    };

    void remove_ended(const std::vector<const telemetry::TaskInfo*>& tasks);
    void insert_and_refresh(const std::vector<const telemetry::TaskInfo*>& tasks,
                            const telemetry::Snapshot& snapshot);
    QVariant foreground(const Row& row, int column) const;
    QVariant background(const Row& row, int column) const;

    std::vector<Row> m_rows;  // sorted by id, as snapshots list tasks
    std::shared_ptr<const telemetry::Snapshot> m_snapshot;
};

}  // namespace cs::ui
