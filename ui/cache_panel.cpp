#include "cache_panel.h"

#include "time_series_chart.h"

namespace cs::ui {

CachePanel::CachePanel(QWidget* parent)
    : MetricPanel(tr("This scenario has no cache. Try cache_aside, stampede or eviction_policies."),
                  parent),
      m_hit_ratio(add_chart(tr("Hit ratio"), tr("% of reads"))),
      m_requests(add_chart(tr("Hits and misses"), tr("per second"))),
      m_latency(add_chart(tr("Load latency"), tr("ms"))),
      m_removals(add_chart(tr("Removals by cause"), tr("per second"))) {
    m_hit_ratio->set_fixed_y(0, 100);
}

bool CachePanel::chart(const telemetry::Snapshot& snapshot, double seconds, double elapsed) {
    for (const telemetry::CacheInfo& c : snapshot.caches) {
        const QString name = QString::fromStdString(c.name);
        const cache::CacheStats& s = c.stats;
        // Every counter is read on every snapshot, so that each rate has its previous reading.
        const double hits = rate(c.id, "hits", s.hits, elapsed);
        const double misses = rate(c.id, "misses", s.misses, elapsed);
        double removed[cache::removal_cause_count];
        for (size_t cause = 0; cause < cache::removal_cause_count; ++cause) {
            const auto why = static_cast<cache::RemovalCause>(cause);
            removed[cause] = rate(c.id, cache::to_string(why), s.removed(why), elapsed);
        }
        if (elapsed <= 0) continue;
        if (hits + misses > 0) m_hit_ratio->append(name, seconds, 100 * hits / (hits + misses));
        m_requests->append(name + tr(" hits"), seconds, hits);
        m_requests->append(name + tr(" misses"), seconds, misses);
        if (c.load_latency.count > 0) {
            m_latency->append(
                name + QStringLiteral(" p50"), seconds,
                std::chrono::duration<double, std::milli>(c.load_latency.p50).count());
            m_latency->append(
                name + QStringLiteral(" p99"), seconds,
                std::chrono::duration<double, std::milli>(c.load_latency.p99).count());
        }
        for (size_t cause = 0; cause < cache::removal_cause_count; ++cause) {
            // A cause gets its line once it happens, so the legend lists only what occurs.
            const auto why = static_cast<cache::RemovalCause>(cause);
            const QString series = name + u' ' + QString::fromLatin1(cache::to_string(why));
            if (removed[cause] > 0 || m_removals->series_names().contains(series))
                m_removals->append(series, seconds, removed[cause]);
        }
    }
    return !snapshot.caches.empty();
}

}  // namespace cs::ui
