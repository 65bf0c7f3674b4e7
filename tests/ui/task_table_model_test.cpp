// TaskTableModel on a real engine (tasks blocking on real channels, a real deadlock) and on
// hand-made snapshots for the row diffing.
#include <gtest/gtest.h>

#include <QBrush>
#include <QSignalSpy>

#include "runtime/runtime.h"
#include "task_table_model.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

using rt::Chan;
using rt::Task;
using telemetry::Snapshot;
using telemetry::TaskInfo;
using Model = TaskTableModel;

QString cell(const Model& m, int row, int column, int role = Qt::DisplayRole) {
    return m.data(m.index(row, column), role).toString();
}

// Counts every structural or data change signal of a model.
struct ChangeCounter {
    explicit ChangeCounter(Model& m)
        : inserted(&m, &Model::rowsInserted),
          removed(&m, &Model::rowsRemoved),
          changed(&m, &Model::dataChanged),
          reset(&m, &Model::modelReset),
          layout(&m, &Model::layoutChanged) {}
    qsizetype total() const {
        return inserted.count() + removed.count() + changed.count() + reset.count() +
               layout.count();
    }
    QSignalSpy inserted, removed, changed, reset, layout;
};

TEST(TaskTableModel, ShowsATaskBlockedOnAChannelAndDropsItWhenItEnds) {
    Engine engine;
    Chan<int> inbox(0, "inbox");
    rt::JoinHandle waiter = engine.spawn("waiter", [inbox]() mutable -> Task<> {
        auto [value, ok] = co_await inbox.recv();
        EXPECT_TRUE(ok);
        EXPECT_EQ(value, 7);
    });

    auto blocked = snapshot_when(engine, [](const Snapshot& s) { return all_blocked(s, 1); });
    ASSERT_TRUE(all_blocked(*blocked, 1));

    Model model;
    model.update(blocked);
    ASSERT_EQ(model.rowCount(), 1);
    ASSERT_EQ(model.columnCount(), Model::column_count);
    EXPECT_EQ(model.task_id(0), waiter.id());
    EXPECT_EQ(cell(model, 0, Model::id_column).toULongLong(), waiter.id());
    EXPECT_EQ(cell(model, 0, Model::name_column), "waiter");
    EXPECT_EQ(cell(model, 0, Model::state_column), "blocked");
    EXPECT_EQ(cell(model, 0, Model::waiting_on_column), "recv chan inbox");
    EXPECT_TRUE(
        model.data(model.index(0, Model::state_column), Qt::BackgroundRole).canConvert<QBrush>());
    EXPECT_FALSE(model.in_deadlock(0));  // a thread (this test) can still send

    inbox.send_blocking(7);
    waiter.wait();
    ChangeCounter changes(model);
    auto after = snapshot_when(engine, [](const Snapshot& s) { return s.tasks.empty(); });
    model.update(after);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(changes.removed.count(), 1);
    EXPECT_EQ(changes.reset.count(), 0);
    EXPECT_EQ(model.row_of(waiter.id()), -1);
}

TEST(TaskTableModel, UpdatingWithAnUnchangedSnapshotEmitsNothing) {
    Engine engine;
    Chan<int> jobs(2, "jobs");
    for (int i = 0; i < 3; ++i) {
        engine.go("reader-" + std::to_string(i),
                  [jobs]() mutable -> Task<> { co_await jobs.recv(); });
    }
    auto first = snapshot_when(engine, [](const Snapshot& s) { return all_blocked(s, 3); });
    ASSERT_TRUE(all_blocked(*first, 3));

    Model model;
    model.update(first);
    ASSERT_EQ(model.rowCount(), 3);
    QStringList before;
    for (int r = 0; r < 3; ++r) before << cell(model, r, Model::waiting_on_column);

    ChangeCounter changes(model);
    model.update(first);              // the same snapshot again
    model.update(engine.snapshot());  // a new snapshot of the same, parked world
    EXPECT_EQ(changes.total(), 0);
    ASSERT_EQ(model.rowCount(), 3);
    for (int r = 0; r < 3; ++r) {
        EXPECT_EQ(cell(model, r, Model::waiting_on_column), before[r]);
        EXPECT_EQ(cell(model, r, Model::name_column), QStringLiteral("reader-%1").arg(r));
    }
    jobs.close();  // let them finish before the engine goes
    EXPECT_TRUE(eventually([&] { return engine.live_tasks() == 0; }));
}

TEST(TaskTableModel, MarksTheTasksOfADeadlock) {
    Engine engine;
    Chan<int> never(0, "never");
    Chan<int> also_never(0, "also-never");
    engine.go("stuck-recv", [never]() mutable -> Task<> { co_await never.recv(); });
    engine.go("stuck-send", [also_never]() mutable -> Task<> { co_await also_never.send(1); });
    ASSERT_TRUE(engine.wait_for_deadlock(10s).has_value());

    auto s = snapshot_when(engine, [](const Snapshot& snap) { return snap.deadlock.has_value(); });
    ASSERT_TRUE(s->deadlock.has_value());
    Model model;
    model.update(s);
    ASSERT_EQ(model.rowCount(), 2);
    for (int r = 0; r < 2; ++r) {
        EXPECT_TRUE(model.in_deadlock(r));
        EXPECT_EQ(cell(model, r, Model::state_column), "blocked");
        QVariant fill = model.data(model.index(r, Model::name_column), Qt::BackgroundRole);
        ASSERT_TRUE(fill.canConvert<QBrush>());
        EXPECT_EQ(fill.value<QBrush>().color().red(), 0xff);  // the red tint
        EXPECT_TRUE(
            cell(model, r, Model::waiting_on_column, Qt::ToolTipRole).contains("Deadlocked"));
    }
    EXPECT_EQ(cell(model, model.row_of(s->tasks[0].id), Model::waiting_on_column),
              "recv chan never");
    EXPECT_EQ(cell(model, model.row_of(s->tasks[1].id), Model::waiting_on_column),
              "send chan also-never");

    // Threads end it: both tasks finish and the report goes away.
    never.send_blocking(1);
    also_never.recv_blocking();
    auto over = snapshot_when(
        engine, [](const Snapshot& snap) { return snap.tasks.empty() && !snap.deadlock; });
    model.update(over);
    EXPECT_EQ(model.rowCount(), 0);
}

// ---- diffing, on hand-made snapshots ----

std::shared_ptr<const Snapshot> snapshot_of(std::vector<TaskInfo> tasks) {
    auto s = std::make_shared<Snapshot>();
    s->tasks = std::move(tasks);
    return s;
}

TaskInfo task(uint64_t id, rt::TaskState state = rt::TaskState::runnable) {
    return {id, "t" + std::to_string(id), state, rt::WaitReason::none, 0};
}

TEST(TaskTableModel, DiffsRowsByIdInsteadOfResetting) {
    Model model;
    model.update(snapshot_of({task(1), task(2), task(3), task(5)}));
    ASSERT_EQ(model.rowCount(), 4);

    ChangeCounter changes(model);
    // 1 and 2 end, 4 and 6 start, 5 starts running, 3 is unchanged.
    model.update(snapshot_of({task(3), task(4), task(5, rt::TaskState::running), task(6)}));
    EXPECT_EQ(changes.reset.count(), 0);
    ASSERT_EQ(changes.removed.count(), 1);  // one contiguous block: rows 0..1
    EXPECT_EQ(changes.removed[0][1].toInt(), 0);
    EXPECT_EQ(changes.removed[0][2].toInt(), 1);
    ASSERT_EQ(changes.inserted.count(), 2);  // 4 before 5, 6 at the end
    ASSERT_EQ(changes.changed.count(), 1);   // 5 only
    EXPECT_EQ(changes.changed[0][0].value<QModelIndex>().row(), 2);
    EXPECT_EQ(changes.changed[0][1].value<QModelIndex>().row(), 2);

    ASSERT_EQ(model.rowCount(), 4);
    const uint64_t ids[] = {3, 4, 5, 6};
    for (int r = 0; r < 4; ++r) EXPECT_EQ(model.task_id(r), ids[r]);
    EXPECT_EQ(cell(model, 2, Model::state_column), "running");
    EXPECT_EQ(cell(model, 1, Model::waiting_on_column), "—");
}

TEST(TaskTableModel, ClearsTheDeadlockMarkWhenTheReportGoes) {
    auto blocked = [](uint64_t id, uint64_t object) {
        return TaskInfo{id, "t" + std::to_string(id), rt::TaskState::blocked, rt::WaitReason::mutex,
                        object};
    };
    auto deadlocked = std::make_shared<Snapshot>();
    deadlocked->tasks = {blocked(1, 40), blocked(2, 0)};
    deadlocked->deadlock = rt::DeadlockReport{{{1, "t1", rt::WaitReason::mutex, 40, "mutex state"},
                                               {2, "t2", rt::WaitReason::mutex, 0, ""}}};
    Model model;
    model.update(deadlocked);
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_TRUE(model.in_deadlock(0));
    EXPECT_TRUE(model.in_deadlock(1));
    // Objects the snapshot does not list are named by the report.
    EXPECT_EQ(cell(model, 0, Model::waiting_on_column), "mutex state");
    EXPECT_EQ(cell(model, 1, Model::waiting_on_column), "mutex");

    ChangeCounter changes(model);
    model.update(snapshot_of({blocked(1, 40), blocked(2, 0)}));
    EXPECT_FALSE(model.in_deadlock(0));
    EXPECT_FALSE(model.in_deadlock(1));
    ASSERT_EQ(changes.changed.count(), 1);  // rows 0..1 in one range
    EXPECT_EQ(changes.changed[0][1].value<QModelIndex>().row(), 1);
    EXPECT_EQ(changes.inserted.count() + changes.removed.count(), 0);
    EXPECT_FALSE(model.data(model.index(0, Model::name_column), Qt::BackgroundRole).isValid());
    EXPECT_EQ(cell(model, 0, Model::waiting_on_column), "mutex #40");
}

TEST(TaskTableModel, AcceptsUnsortedAndNullSnapshots) {
    Model model;
    model.update(snapshot_of({task(9), task(2), task(4)}));
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.task_id(0), 2u);
    EXPECT_EQ(model.task_id(2), 9u);
    model.update(nullptr);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(model.snapshot(), nullptr);
}

TEST(TaskTableModel, SortKeysAndOutOfRangeQueries) {
    Model model;
    model.update(snapshot_of({task(1, rt::TaskState::blocked), task(2, rt::TaskState::running)}));
    auto key = [&](int row, int column) {
        return model.data(model.index(row, column), Model::sort_role);
    };
    EXPECT_LT(key(1, Model::state_column).toInt(), key(0, Model::state_column).toInt());
    EXPECT_EQ(key(0, Model::id_column).toULongLong(), 1u);
    EXPECT_FALSE(model.data(model.index(5, 0)).isValid());
    EXPECT_EQ(model.task_id(-1), 0u);
    EXPECT_FALSE(model.in_deadlock(7));
    EXPECT_EQ(model.headerData(Model::waiting_on_column, Qt::Horizontal).toString(), "Waiting on");
}

}  // namespace
}  // namespace cs::ui::test
