#include "task_table_model.h"

#include <QBrush>
#include <algorithm>
#include <unordered_set>

#include "snapshot_text.h"
#include "state_palette.h"

namespace cs::ui {
namespace {

// Sorting the State column groups tasks as a reader scans them: busy first, finished last.
int state_order(rt::TaskState state) {
    switch (state) {
        case rt::TaskState::running:
            return 0;
        case rt::TaskState::runnable:
            return 1;
        case rt::TaskState::blocked:
            return 2;
        case rt::TaskState::done:
            return 3;
    }
    return 4;
}

}  // namespace

TaskTableModel::TaskTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int TaskTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TaskTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant TaskTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
        case id_column:
            return tr("Id");
        case name_column:
            return tr("Name");
        case state_column:
            return tr("State");
        case waiting_on_column:
            return tr("Waiting on");
        default:
            return {};
    }
}

QVariant TaskTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.parent().isValid() || index.row() >= rowCount() ||
        index.column() >= column_count) {
        return {};
    }
    const Row& row = m_rows[static_cast<size_t>(index.row())];
    const int column = index.column();
    switch (role) {
        case sort_role:
            if (column == state_column) return state_order(row.state);  // by lifecycle, not name
            [[fallthrough]];
        case Qt::DisplayRole:
            switch (column) {
                case id_column:
                    return QVariant::fromValue<qulonglong>(row.id);
                case name_column:
                    return row.name;
                case state_column:
                    return state_text(row.state);
                case waiting_on_column:
                    return row.waiting_on;
            }
            break;
        case Qt::ForegroundRole:
            return foreground(row, column);
        case Qt::BackgroundRole:
            return background(row, column);
        case Qt::TextAlignmentRole:
            if (column == id_column) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
            if (column == state_column) return QVariant(Qt::AlignCenter);
            break;
        case Qt::ToolTipRole:
            if (row.deadlocked) return tr("Deadlocked: nothing can wake this task");
            if (column == waiting_on_column && row.state == rt::TaskState::blocked) {
                return tr("Blocked: %1").arg(row.waiting_on);
            }
            break;
    }
    return {};
}

QVariant TaskTableModel::foreground(const Row& row, int column) const {
    if (column == state_column)
        return QBrush(row.deadlocked ? deadlock_text : colours_of(row.state).text);
    if (row.deadlocked) return QBrush(deadlock_text);
    return {};
}

QVariant TaskTableModel::background(const Row& row, int column) const {
    if (row.deadlocked) return QBrush(deadlock_fill);
    if (column == state_column) return QBrush(colours_of(row.state).fill);
    return {};
}

int TaskTableModel::row_of(uint64_t task_id) const {
    auto it = std::lower_bound(m_rows.begin(), m_rows.end(), task_id,
                               [](const Row& r, uint64_t id) { return r.id < id; });
    return it != m_rows.end() && it->id == task_id ? static_cast<int>(it - m_rows.begin()) : -1;
}

uint64_t TaskTableModel::task_id(int row) const {
    return row >= 0 && row < rowCount() ? m_rows[static_cast<size_t>(row)].id : 0;
}

bool TaskTableModel::in_deadlock(int row) const {
    return row >= 0 && row < rowCount() && m_rows[static_cast<size_t>(row)].deadlocked;
}

void TaskTableModel::update(std::shared_ptr<const telemetry::Snapshot> snapshot) {
    static const telemetry::Snapshot empty;
    const telemetry::Snapshot& s = snapshot ? *snapshot : empty;

    std::vector<const telemetry::TaskInfo*> tasks;
    tasks.reserve(s.tasks.size());
    for (const auto& t : s.tasks) tasks.push_back(&t);
    auto by_id = [](const telemetry::TaskInfo* a, const telemetry::TaskInfo* b) {
        return a->id < b->id;
    };
    if (!std::is_sorted(tasks.begin(), tasks.end(), by_id))
        std::sort(tasks.begin(), tasks.end(), by_id);

    remove_ended(tasks);
    insert_and_refresh(tasks, s);
    m_snapshot = std::move(snapshot);
}

// Removes the rows of tasks missing from `tasks`, one contiguous block at a time.
void TaskTableModel::remove_ended(const std::vector<const telemetry::TaskInfo*>& tasks) {
    auto present = [&](uint64_t id) {
        auto it =
            std::lower_bound(tasks.begin(), tasks.end(), id,
                             [](const telemetry::TaskInfo* t, uint64_t v) { return t->id < v; });
        return it != tasks.end() && (*it)->id == id;
    };
    for (int last = rowCount() - 1; last >= 0; --last) {
        if (present(m_rows[static_cast<size_t>(last)].id)) continue;
        int first = last;
        while (first > 0 && !present(m_rows[static_cast<size_t>(first - 1)].id)) --first;
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
        last = first;
    }
}

// With every shown row's task still in `tasks` (both sorted by id): inserts the new tasks'
// rows, block by block, and refreshes the others, reporting changed rows in contiguous ranges.
void TaskTableModel::insert_and_refresh(const std::vector<const telemetry::TaskInfo*>& tasks,
                                        const telemetry::Snapshot& snapshot) {
    const WaitDescriber describer(snapshot);
    std::unordered_set<uint64_t> deadlocked;
    if (snapshot.deadlock) {
        for (const auto& w : snapshot.deadlock->waiters) deadlocked.insert(w.task_id);
    }
    auto fill = [&](Row& row, const telemetry::TaskInfo& t) {
        row.state = t.state;
        row.reason = t.reason;
        row.wait_object = t.wait_object;
        row.deadlocked = deadlocked.count(t.id) != 0;
        row.waiting_on = describer.describe(t);
    };

    int changed_first = -1;
    int changed_last = -1;
    auto flush_changed = [&] {
        if (changed_first < 0) return;
        Q_EMIT dataChanged(index(changed_first, 0), index(changed_last, column_count - 1));
        changed_first = changed_last = -1;
    };

    size_t r = 0;
    size_t j = 0;
    while (j < tasks.size()) {
        const telemetry::TaskInfo& t = *tasks[j];
        if (r < m_rows.size() && m_rows[r].id == t.id) {
            Row& row = m_rows[r];
            bool now_deadlocked = deadlocked.count(t.id) != 0;
            if (row.state != t.state || row.reason != t.reason ||
                row.wait_object != t.wait_object || row.deadlocked != now_deadlocked) {
                fill(row, t);
                int at = static_cast<int>(r);
                if (changed_first >= 0 && changed_last == at - 1) {
                    changed_last = at;
                } else {
                    flush_changed();
                    changed_first = changed_last = at;
                }
            }
            ++r;
            ++j;
            continue;
        }
        // New tasks: every one with an id below the next shown row's.
        size_t k = j;
        while (k < tasks.size() && (r == m_rows.size() || tasks[k]->id < m_rows[r].id)) ++k;
        if (k == j) {  // unreachable while rows are a subset of tasks; never loop forever
            ++r;
            continue;
        }
        flush_changed();
        const int first = static_cast<int>(r);
        beginInsertRows({}, first, first + static_cast<int>(k - j) - 1);
        std::vector<Row> added(k - j);
        for (size_t n = 0; n < added.size(); ++n) {
            const telemetry::TaskInfo& nt = *tasks[j + n];
            added[n].id = nt.id;
            added[n].name = QString::fromStdString(nt.name);
            fill(added[n], nt);
        }
        m_rows.insert(m_rows.begin() + first, std::make_move_iterator(added.begin()),
                      std::make_move_iterator(added.end()));
        endInsertRows();
        r += added.size();
        j = k;
    }
    flush_changed();
}

}  // namespace cs::ui
