// The task lanes: each task's states over time rebuilt from the engine's events, corrected by
// snapshots where events were lost, bounded for 10,000 tasks; and the view's zoom, pan, follow
// and hover on a real run.
#include <gtest/gtest.h>

#include <QScrollBar>

#include "main_window.h"
#include "task_lanes_view.h"
#include "telemetry/ticks.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

using telemetry::Event;
using telemetry::EventKind;

Event event(int64_t ticks, EventKind kind, uint64_t task,
            rt::WaitReason reason = rt::WaitReason::none, uint64_t object = 0) {
    return {
        .ticks = ticks, .task = task, .object = object, .aux = 0, .kind = kind, .reason = reason};
}

telemetry::TaskInfo task(uint64_t id, std::string name, rt::TaskState state,
                         rt::WaitReason reason = rt::WaitReason::none, uint64_t object = 0) {
    return {id, std::move(name), state, reason, object};
}

int64_t ns(int64_t ticks) {
    return telemetry::ticks_to_ns(ticks);
}

TEST(TaskLanesModel, RebuildsEachTasksStatesFromItsEvents) {
    const int64_t t0 = telemetry::now_ticks();
    telemetry::Snapshot s;
    s.events = {event(t0, EventKind::task_spawn, 5), event(t0 + 1000, EventKind::task_run, 5),
                event(t0 + 2000, EventKind::task_block, 5, rt::WaitReason::recv, 42),
                event(t0 + 5000, EventKind::task_wake, 5),
                event(t0 + 6000, EventKind::task_run, 5)};
    s.tasks = {task(5, "consumer", rt::TaskState::running)};
    TaskLanesModel m;
    m.update(s, ns(t0 + 7000));
    ASSERT_EQ(m.lanes().size(), 1u);
    const TaskLane& lane = m.lanes()[0];
    EXPECT_EQ(lane.name, "consumer");
    ASSERT_EQ(lane.segments.size(), 5u);
    // Times as the model converted them (the tick rate's estimate improves as the process runs,
    // so converting again later may differ by a few nanoseconds).
    const int64_t blocked_at = lane.segments[2].start_ns, woken_at = lane.segments[3].start_ns;
    int64_t until = 0;
    const LaneSegment* blocked = lane.segment_at((blocked_at + woken_at) / 2, m.now_ns(), &until);
    ASSERT_NE(blocked, nullptr);
    EXPECT_EQ(blocked->state, rt::TaskState::blocked);
    EXPECT_EQ(blocked->reason, rt::WaitReason::recv);
    EXPECT_EQ(blocked->object, 42u);
    EXPECT_EQ(until, woken_at) << "blocked until the wake";
    EXPECT_EQ(lane.segment_at(m.now_ns() - 1, m.now_ns(), &until)->state, rt::TaskState::running);
    EXPECT_EQ(until, m.now_ns()) << "the last state lasts until now";
    EXPECT_EQ(lane.segment_at(lane.segments.front().start_ns - 1, m.now_ns()), nullptr)
        << "nothing before it began";

    // It finishes: the lane ends there.
    telemetry::Snapshot next;
    next.events = {event(t0 + 8000, EventKind::task_done, 5)};
    m.update(next, ns(t0 + 9000));
    EXPECT_TRUE(m.lanes()[0].done);
    EXPECT_EQ(m.lanes()[0].end_ns, m.lanes()[0].segments.back().start_ns);
    EXPECT_GT(m.lanes()[0].end_ns, woken_at);
    EXPECT_EQ(m.lanes()[0].segment_at(m.now_ns(), m.now_ns()), nullptr);
}

// Times in the tests are built from one reading of the clock: the tick rate's estimate improves
// as the process runs, so converting the same ticks twice may differ.
TEST(TaskLanesModel, SnapshotsCorrectWhatLostEventsWouldHaveSaid) {
    const int64_t base = ns(telemetry::now_ticks());
    TaskLanesModel m;
    telemetry::Snapshot s;
    s.tasks = {task(1, "a", rt::TaskState::running), task(2, "b", rt::TaskState::running)};
    m.update(s, base + 1'000);
    s.tasks = {task(1, "a", rt::TaskState::blocked, rt::WaitReason::sleep)};  // b is gone
    m.update(s, base + 2'000);
    ASSERT_EQ(m.lanes().size(), 2u);
    const LaneSegment* a = m.lanes()[0].segment_at(base + 2'000, m.now_ns());
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->state, rt::TaskState::blocked);
    EXPECT_EQ(a->reason, rt::WaitReason::sleep);
    EXPECT_TRUE(m.lanes()[1].done) << "a task the snapshot no longer lists has ended";

    // A task spawned after the snapshot read its list (an event a second later than the last
    // update) is not taken for finished.
    telemetry::Snapshot late;
    late.tasks = s.tasks;
    const int64_t second = static_cast<int64_t>(1e9 / telemetry::ns_per_tick());
    late.events = {event(telemetry::now_ticks() + second, EventKind::task_spawn, 3)};
    m.update(late, base + 3'000);
    ASSERT_GE(m.find(3), 0);
    EXPECT_FALSE(m.lanes()[size_t(m.find(3))].done);
}

TEST(TaskLanesModel, StaysBoundedHowLongItRuns) {
    TaskLanesModel m;
    m.set_history(1'000'000'000);
    telemetry::Snapshot s;
    s.tasks = {task(1, "busy", rt::TaskState::running)};
    // 10,000 lanes share the budget: each keeps its minimum, not more.
    for (uint64_t id = 2; id <= 10'000; ++id)
        s.tasks.push_back(task(id, "idle", rt::TaskState::blocked));
    const int64_t t0 = telemetry::now_ticks();
    const int64_t base = ns(t0);
    m.update(s, base);
    s.tasks.resize(1);
    for (int i = 0; i < 2000; ++i)
        s.events.push_back(
            event(t0 + i * 10, i % 2 ? EventKind::task_run : EventKind::task_wake, 1));
    m.update(s, base + 100'000'000);  // after the events (20,000 ticks)
    EXPECT_EQ(m.lanes()[0].segments.size(), TaskLanesModel::min_segments);

    telemetry::Snapshot gone;  // every task ended; beyond the history their lanes are forgotten
    m.update(gone, m.now_ns() + 10);
    m.update(gone, m.now_ns() + 2'000'000'000);
    EXPECT_TRUE(m.lanes().empty());
    EXPECT_EQ(m.find(1), -1);
}

TEST(TaskLanesView, ShowsALiveRunAndExplainsALaneWhenHovered) {
    MainWindow w;
    w.resize(1400, 900);
    ASSERT_TRUE(w.open_scenario(QStringLiteral("worker_pool")));
    w.show();
    TaskLanesView* v = w.task_lanes();
    // Workers simulate work by sleeping: some lane shows a sleep.
    auto has_sleep = [&] {
        for (const TaskLane& lane : v->model().lanes())
            for (const LaneSegment& s : lane.segments)
                if (lane.name.starts_with("pool worker") && s.reason == rt::WaitReason::sleep)
                    return true;
        return false;
    };
    ASSERT_TRUE(eventually(has_sleep));
    // and a history many pixels wide, to hover inside it
    ASSERT_TRUE(
        eventually([&] { return v->model().now_ns() - v->model().first_ns() > 500'000'000; }));
    EXPECT_TRUE(v->following());

    // Hover a live lane half way through its history (a finished task's lane is empty now).
    int lane = 0;
    while (v->model().lanes()[size_t(lane)].done) ++lane;
    const TaskLane& hovered = v->model().lanes()[size_t(lane)];
    const int y = 20 + lane * v->lane_height() + v->lane_height() / 2;
    const int x = int(v->x_of((hovered.segments.front().start_ns + v->model().now_ns()) / 2));
    ASSERT_EQ(v->lane_at(y), lane);
    const QString tip = v->tooltip_at(QPoint(x, y));
    EXPECT_TRUE(tip.contains(QString::fromStdString(hovered.name))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("for "))) << tip.toStdString();
    EXPECT_TRUE(v->tooltip_at(QPoint(5, y)).isEmpty()) << "the name column says nothing more";
}

TEST(TaskLanesView, ZoomsPansAndFollowsThePresentAgain) {
    TaskLanesView v;
    v.resize(900, 300);
    telemetry::Snapshot s;
    s.tasks = {task(1, "a", rt::TaskState::running)};
    v.show_snapshot(std::make_shared<const telemetry::Snapshot>(s));

    const int64_t span = v.span_ns();
    const int right = v.label_width() + (v.viewport()->width() - v.label_width()) - 1;
    v.zoom(2, right);
    EXPECT_EQ(v.span_ns(), span / 2);
    EXPECT_TRUE(v.following()) << "zooming at the present keeps following it";

    v.pan_ns(-v.span_ns());
    EXPECT_FALSE(v.following());
    const int64_t end = v.end_ns();
    v.show_snapshot(std::make_shared<const telemetry::Snapshot>(s));
    EXPECT_EQ(v.end_ns(), end) << "a view moved into the past stays there while data arrives";

    const int middle = v.label_width() + (v.viewport()->width() - v.label_width()) / 2;
    const int64_t under = v.time_at(middle);
    v.zoom(4, middle);
    EXPECT_NEAR(double(v.time_at(middle)), double(under), double(v.span_ns()) / 100)
        << "the time under the pointer stays put";

    v.zoom(1e12, middle);
    EXPECT_EQ(v.span_ns(), TaskLanesView::min_span_ns);
    v.zoom(1e-12, middle);
    EXPECT_EQ(v.span_ns(), TaskLanesView::max_span_ns);

    v.follow();
    EXPECT_TRUE(v.following());
    EXPECT_EQ(v.end_ns(), v.model().now_ns());
}

TEST(TaskLanesView, TenThousandTasksScrollAsLanes) {
    TaskLanesView v;
    v.resize(900, 400);
    telemetry::Snapshot s;
    for (uint64_t i = 1; i <= 10'000; ++i)
        s.tasks.push_back(task(i, "worker " + std::to_string(i),
                               i % 3 ? rt::TaskState::blocked : rt::TaskState::running,
                               i % 3 ? rt::WaitReason::recv : rt::WaitReason::none));
    v.show_snapshot(std::make_shared<const telemetry::Snapshot>(s));
    v.show_snapshot(std::make_shared<const telemetry::Snapshot>(s));
    ASSERT_EQ(v.model().lanes().size(), 10'000u);
    const int visible = v.verticalScrollBar()->pageStep();
    EXPECT_EQ(v.verticalScrollBar()->maximum(), 10'000 - visible);
    v.verticalScrollBar()->setValue(v.verticalScrollBar()->maximum());
    EXPECT_EQ(v.lane_at(20), 10'000 - visible);
    EXPECT_FALSE(v.viewport()->grab().toImage().isNull());
}

}  // namespace
}  // namespace cs::ui::test
