#include "limiter_panel.h"

#include <algorithm>
#include <cmath>

#include "time_series_chart.h"

namespace cs::ui {

LimiterPanel::LimiterPanel(QWidget* parent)
    : MetricPanel(tr("This scenario has no rate limiter. Try rate_limit_burst."), parent),
      m_tokens(add_chart(tr("Tokens against burst"), tr("tokens"))),
      m_decisions(add_chart(tr("Allowed and denied"), tr("per second"))) {}

bool LimiterPanel::chart(const telemetry::Snapshot& snapshot, double seconds, double elapsed) {
    bool any = false;
    for (const telemetry::LimiterInfo& l : snapshot.limiters) {
        if (!std::isfinite(l.limit)) continue;
        any = true;
        const QString name = QString::fromStdString(l.name);
        // Below zero, tokens are owed to waiters who reserved them: the bucket itself is empty.
        m_tokens->append(name, seconds, std::max(0.0, l.tokens));
        const QString burst = name + tr(" burst");
        m_tokens->append(burst, seconds, double(l.burst));
        m_tokens->set_dashed(burst);
        const double allowed = rate(l.id, "allowed", l.allowed, elapsed);
        const double denied = rate(l.id, "denied", l.denied, elapsed);
        if (elapsed <= 0) continue;
        m_decisions->append(name + tr(" allowed"), seconds, allowed);
        m_decisions->append(name + tr(" denied"), seconds, denied);
    }
    return any;
}

}  // namespace cs::ui
