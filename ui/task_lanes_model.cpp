#include "task_lanes_model.h"

#include <algorithm>

#include "telemetry/ticks.h"

namespace cs::ui {

const LaneSegment* TaskLane::segment_at(int64_t t, int64_t now, int64_t* ends_at) const {
    auto after = std::upper_bound(segments.begin(), segments.end(), t,
                                  [](int64_t at, const LaneSegment& s) { return at < s.start_ns; });
    if (after == segments.begin()) return nullptr;
    const LaneSegment& s = *std::prev(after);
    if (s.state == rt::TaskState::done && t > s.start_ns) return nullptr;
    if (ends_at) *ends_at = after != segments.end() ? after->start_ns : (done ? end_ns : now);
    return &s;
}

void TaskLanesModel::clear() {
    m_lanes.clear();
    m_index.clear();
    m_now_ns = m_last_update_ns = 0;
    m_updated = false;
}

int TaskLanesModel::find(uint64_t task) const {
    auto it = m_index.find(task);
    return it == m_index.end() ? -1 : static_cast<int>(it->second);
}

int64_t TaskLanesModel::first_ns() const noexcept {
    int64_t first = m_now_ns;
    for (const TaskLane& lane : m_lanes)
        if (!lane.segments.empty()) first = std::min(first, lane.segments.front().start_ns);
    return first;
}

TaskLane& TaskLanesModel::lane_of(uint64_t task) {
    auto [it, added] = m_index.try_emplace(task, m_lanes.size());
    if (added) {
        // Task ids grow, so lanes stay sorted by id when appended; an id seen late is placed.
        auto at = std::lower_bound(m_lanes.begin(), m_lanes.end(), task,
                                   [](const TaskLane& l, uint64_t id) { return l.task < id; });
        const size_t position = static_cast<size_t>(at - m_lanes.begin());
        TaskLane lane;
        lane.task = task;
        m_lanes.insert(at, std::move(lane));
        if (position + 1 != m_lanes.size())
            for (size_t i = position; i < m_lanes.size(); ++i) m_index[m_lanes[i].task] = i;
        it->second = position;
    }
    return m_lanes[it->second];
}

void TaskLanesModel::change(TaskLane& lane, int64_t at, rt::TaskState state, rt::WaitReason reason,
                            uint64_t object) {
    if (lane.done) return;
    if (!lane.segments.empty()) {
        const LaneSegment& last = lane.segments.back();
        if (last.state == state && last.reason == reason && last.object == object) return;
        at = std::max(at, last.start_ns);  // a late event does not reorder history
    }
    lane.segments.push_back({at, state, reason, object});
    if (lane.segments.size() > m_lane_cap) lane.segments.pop_front();
    if (state == rt::TaskState::done) {
        lane.done = true;
        lane.end_ns = at;
    }
}

void TaskLanesModel::update(const telemetry::Snapshot& snapshot, int64_t now_ns) {
    using telemetry::EventKind;
    m_lane_cap = segments_per_lane();
    m_now_ns = m_updated ? std::max(m_now_ns, now_ns) : now_ns;  // times may be below zero
    m_updated = true;
    for (const telemetry::Event& e : snapshot.events) {
        const int64_t at = telemetry::ticks_to_ns(e.ticks);
        switch (e.kind) {
            case EventKind::task_spawn:
                change(lane_of(e.task), at, rt::TaskState::runnable, rt::WaitReason::none, 0);
                break;
            case EventKind::task_run:
                change(lane_of(e.task), at, rt::TaskState::running, rt::WaitReason::none, 0);
                break;
            case EventKind::task_block:
                change(lane_of(e.task), at, rt::TaskState::blocked, e.reason, e.object);
                break;
            case EventKind::task_wake:
                change(lane_of(e.task), at, rt::TaskState::runnable, rt::WaitReason::none, 0);
                break;
            case EventKind::task_done:
                change(lane_of(e.task), at, rt::TaskState::done, rt::WaitReason::none, 0);
                break;
            default:
                break;
        }
    }
    // The snapshot is the truth now: names for new lanes, and states where events were lost. A
    // lane that changed since the last update is left alone: its events are newer than the
    // snapshot's reading of it.
    ++m_generation;
    for (const telemetry::TaskInfo& t : snapshot.tasks) {
        TaskLane& lane = lane_of(t.id);
        lane.seen = m_generation;
        if (lane.name.empty()) lane.name = t.name;
        if (!lane.segments.empty() && lane.segments.back().start_ns > m_last_update_ns) continue;
        const bool blocked = t.state == rt::TaskState::blocked;
        change(lane, m_now_ns, t.state, blocked ? t.reason : rt::WaitReason::none,
               blocked ? t.wait_object : 0);
    }
    // A live lane the snapshot no longer lists, and no event mentioned since the last update
    // (a task spawned after the snapshot read the task list), has ended, its done event lost.
    for (TaskLane& lane : m_lanes)
        if (lane.seen != m_generation && !lane.done &&
            (lane.segments.empty() || lane.segments.back().start_ns <= m_last_update_ns))
            change(lane, m_now_ns, rt::TaskState::done, rt::WaitReason::none, 0);
    m_last_update_ns = m_now_ns;
    forget_old();
}

size_t TaskLanesModel::segments_per_lane() const {
    return std::max(min_segments, segment_budget / std::max<size_t>(1, m_lanes.size()));
}

void TaskLanesModel::forget_old() {
    const int64_t horizon = m_now_ns - m_history_ns;
    const auto before = m_lanes.size();
    std::erase_if(m_lanes, [&](const TaskLane& l) { return l.done && l.end_ns < horizon; });
    for (TaskLane& lane : m_lanes)
        while (lane.segments.size() > 1 && lane.segments[1].start_ns < horizon)
            lane.segments.pop_front();
    if (m_lanes.size() != before) {
        m_index.clear();
        for (size_t i = 0; i < m_lanes.size(); ++i) m_index[m_lanes[i].task] = i;
    }
}

}  // namespace cs::ui
