#include "frame_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace cs::ui {

void FrameStats::frame(Clock::time_point start, Clock::duration work) {
    using ms = std::chrono::duration<double, std::milli>;
    if (m_last != Clock::time_point{}) m_intervals_ms.push_back(ms(start - m_last).count());
    m_last = start;
    m_work_ms.push_back(ms(work).count());
}

FrameSummary FrameStats::summarise(std::vector<double> ms) {
    FrameSummary s;
    s.frames = ms.size();
    if (ms.empty()) return s;
    std::sort(ms.begin(), ms.end());
    auto rank = [&](double q) {  // nearest rank
        const size_t i = static_cast<size_t>(std::ceil(q * double(ms.size()))) - 1;
        return ms[std::min(i, ms.size() - 1)];
    };
    s.mean_ms = std::accumulate(ms.begin(), ms.end(), 0.0) / double(ms.size());
    s.median_ms = rank(0.5);
    s.p99_ms = rank(0.99);
    s.max_ms = ms.back();
    return s;
}

FrameSummary FrameStats::frame_times() const {
    return summarise(m_intervals_ms);
}

FrameSummary FrameStats::work_times() const {
    return summarise(m_work_ms);
}

std::string FrameStats::text() const {
    const FrameSummary f = frame_times(), w = work_times();
    char line[256];
    std::snprintf(line, sizeof line,
                  "frames %zu: frame time mean %.1f ms, median %.1f ms, p99 %.1f ms, max %.1f ms; "
                  "refresh work mean %.1f ms, p99 %.1f ms",
                  f.frames, f.mean_ms, f.median_ms, f.p99_ms, f.max_ms, w.mean_ms, w.p99_ms);
    return line;
}

}  // namespace cs::ui
