#pragma once
// FrameStats: how smoothly the window keeps up — the time between successive refreshes (a
// refresh waits for the previous frame's painting, so this is the frame time the eye sees) and
// the work of each refresh itself (snapshot and views). For `chanscope --report-frames`.
#include <chrono>
#include <string>
#include <vector>

namespace cs::ui {

struct FrameSummary {
    size_t frames = 0;
    double mean_ms = 0, median_ms = 0, p99_ms = 0, max_ms = 0;
};

class FrameStats {
  public:
    using Clock = std::chrono::steady_clock;

    // One refresh that began at `start` and took `work`.
    void frame(Clock::time_point start, Clock::duration work);

    FrameSummary frame_times() const;  // between successive refresh starts
    FrameSummary work_times() const;   // inside each refresh
    // "frames 300: frame time mean 33.4 ms, median 33.3 ms, p99 36.0 ms, max 41.2 ms; refresh
    // work mean 2.1 ms, p99 5.0 ms"
    std::string text() const;

  private:
    static FrameSummary summarise(std::vector<double> ms);

    std::vector<double> m_intervals_ms, m_work_ms;
    Clock::time_point m_last{};
};

}  // namespace cs::ui
