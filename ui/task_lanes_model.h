#pragma once
// TaskLanesModel: the history the task lanes draw — per task, the states it went through and
// when (running, runnable, blocked on what, done), rebuilt from the engine's task events and
// checked against each snapshot's states (a dropped event costs a lane detail, never its
// truth). Time is real time in nanoseconds since the process started (telemetry ticks), so a
// slowed clock stretches the lanes as the eye sees it.
//
// Bounded for 10,000 tasks: the lanes share a budget of `segment_budget` changes (a busy task
// switching 1,000 times a second keeps minutes of history when it has few neighbours, and a
// lane always keeps at least its last `min_segments`), and the model forgets what ended more
// than `history` ago.
//
//   TaskLanesModel lanes;
//   lanes.update(*engine.snapshot(), telemetry::ticks_to_ns(telemetry::now_ticks()));
//   for (const TaskLane& lane : lanes.lanes()) ...
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "telemetry/snapshot.h"

namespace cs::ui {

struct LaneSegment {
    int64_t start_ns;
    rt::TaskState state;
    rt::WaitReason reason;  // why, when blocked
    uint64_t object;        // what it waits on (telemetry id), when blocked
};

struct TaskLane {
    uint64_t task = 0;
    std::string name;
    std::deque<LaneSegment> segments;  // in time order; the last lasts until now (or done)
    bool done = false;
    int64_t end_ns = 0;  // when it finished, if done
    uint64_t seen = 0;   // the model's update that last found it in a snapshot

    // The segment in force at `t` and when it ended (`now` for the last of a live task); null
    // before the lane's first change.
    const LaneSegment* segment_at(int64_t t, int64_t now, int64_t* ends_at = nullptr) const;
};

class TaskLanesModel {
  public:
    static constexpr size_t segment_budget = size_t{1} << 21;  // about 50 MB
    static constexpr size_t min_segments = 256;
    static constexpr int64_t default_history_ns = 120'000'000'000;  // two minutes

    void update(const telemetry::Snapshot& snapshot, int64_t now_ns);
    void clear();
    void set_history(int64_t ns) { m_history_ns = ns; }

    const std::vector<TaskLane>& lanes() const noexcept { return m_lanes; }  // by task id
    int64_t now_ns() const noexcept { return m_now_ns; }
    int64_t first_ns() const noexcept;  // the earliest time any lane shows
    int find(uint64_t task) const;      // index into lanes(); -1 if it has none

  private:
    TaskLane& lane_of(uint64_t task);
    void change(TaskLane& lane, int64_t at, rt::TaskState state, rt::WaitReason reason,
                uint64_t object);
    void forget_old();
    size_t segments_per_lane() const;

    std::vector<TaskLane> m_lanes;
    std::unordered_map<uint64_t, size_t> m_index;
    int64_t m_now_ns = 0;
    int64_t m_last_update_ns = 0;
    bool m_updated = false;  // since construction or clear()
    uint64_t m_generation = 0;
    size_t m_lane_cap = segment_budget;  // this update's share of the budget per lane
    int64_t m_history_ns = default_history_ns;
};

}  // namespace cs::ui
