#include "topology_view.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <array>
#include <cmath>

#include "hover_tooltip.h"
#include "snapshot_text.h"
#include "state_palette.h"

namespace cs::ui {
namespace {

constexpr double margin = 16;
constexpr double edge_room = 120;  // horizontal space kept between columns for an edge's label

QString flow_text(double per_second) {
    if (per_second >= 100) return QStringLiteral("%1/s").arg(std::lround(per_second));
    return QStringLiteral("%1/s").arg(per_second, 0, 'f', 1);
}

QString fill_text(const TopologyEdge& edge) {
    QString text = QStringLiteral("%1/%2").arg(edge.len).arg(edge.cap);
    if (edge.closed) text += QObject::tr(" closed");
    return text;
}

struct StateShare {
    rt::TaskState state;
    rt::WaitReason reason;
    size_t count;
};

// The node's tasks grouped by what the eye tells apart (state, and why a blocked one waits).
std::vector<StateShare> shares_of(const TopologyNode& node) {
    std::vector<StateShare> shares;
    for (const TopologyToken& t : node.tokens) {
        const rt::WaitReason reason =
            t.state == rt::TaskState::blocked ? t.reason : rt::WaitReason::none;
        auto same = std::find_if(shares.begin(), shares.end(), [&](const StateShare& s) {
            return s.state == t.state && s.reason == reason;
        });
        if (same == shares.end())
            shares.push_back({t.state, reason, 1});
        else
            ++same->count;
    }
    return shares;
}

QString share_text(const StateShare& s) {
    QString what = state_text(s.state);
    if (s.state == rt::TaskState::blocked && s.reason != rt::WaitReason::none)
        what += QStringLiteral(" (%1)").arg(QString::fromUtf8(rt::to_string(s.reason)));
    return QStringLiteral("%1 %2").arg(s.count).arg(what);
}

}  // namespace

TopologyView::TopologyView(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
}

void TopologyView::show_scenario(const scenario::Scenario* scenario) {
    m_model = scenario ? TopologyModel(*scenario) : TopologyModel();
    m_has_scenario = scenario != nullptr;
    update();
}

void TopologyView::show_snapshot(const telemetry::Snapshot& snapshot) {
    m_model.update(snapshot);
    update();
}

void TopologyView::set_presenter(bool on) {
    m_scale = on ? 1.8 : 1.0;
    update();
}

QRectF TopologyView::node_rect(int index) const {
    const auto& nodes = m_model.nodes();
    if (index < 0 || index >= static_cast<int>(nodes.size()) || m_model.layer_count() == 0)
        return {};
    const TopologyNode& node = nodes[index];
    const double column = (width() - 2 * margin) / m_model.layer_count();
    const double row = (height() - 2 * margin - legend_height()) / std::max(1, m_model.max_rows());
    const double box_width =
        std::clamp(column - std::min(edge_room * m_scale, column * 0.45), 90.0, 280.0 * m_scale);
    const double box_height = std::clamp(row - 16, 48.0, 120.0 * m_scale);
    int rows_in_layer = 0;
    for (const TopologyNode& n : nodes) rows_in_layer += n.layer == node.layer ? 1 : 0;
    const double centring = (m_model.max_rows() - rows_in_layer) * row / 2;
    return {margin + node.layer * column + (column - box_width) / 2,
            margin + centring + node.row * row + (row - box_height) / 2, box_width, box_height};
}

TopologyView::EdgeGeometry TopologyView::edge_geometry(const TopologyEdge& edge) const {
    const QRectF a = node_rect(edge.from), b = node_rect(edge.to);
    EdgeGeometry g;
    g.from = QPointF(a.right(), a.center().y());
    g.to = QPointF(b.left(), b.center().y());
    if (b.left() <= a.right()) {  // same column or backwards: leave from the bottom
        g.from = QPointF(a.center().x(), a.bottom());
        g.to = QPointF(b.center().x(), b.top());
    }
    const QPointF middle = (g.from + g.to) / 2;
    const QSizeF bar(56 * m_scale, 10 * m_scale);
    g.bar = QRectF(middle - QPointF(bar.width() / 2, bar.height() / 2), bar);
    return g;
}

void TopologyView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    if (!m_has_scenario || m_model.nodes().empty()) {
        p.setPen(palette().placeholderText().color());
        p.drawText(rect(), Qt::AlignCenter, tr("No scenario is running: pick one at the left."));
        return;
    }
    paint_legend(p);
    for (const TopologyEdge& edge : m_model.edges()) paint_edge(p, edge);
    for (size_t i = 0; i < m_model.nodes().size(); ++i)
        paint_node(p, m_model.nodes()[i], node_rect(static_cast<int>(i)));
}

double TopologyView::legend_height() const {
    return QFontMetricsF(font()).height() + 8;
}

// What the token colours mean, along the bottom: the lanes below use the same colours.
void TopologyView::paint_legend(QPainter& p) const {
    struct Entry {
        rt::TaskState state;
        rt::WaitReason reason;
        QString text;
    };
    const Entry entries[] = {
        {rt::TaskState::running, rt::WaitReason::none, tr("running")},
        {rt::TaskState::runnable, rt::WaitReason::none, tr("runnable")},
        {rt::TaskState::blocked, rt::WaitReason::recv, tr("blocked on a channel")},
        {rt::TaskState::blocked, rt::WaitReason::sleep, tr("sleeping")},
        {rt::TaskState::blocked, rt::WaitReason::semaphore, tr("on a semaphore, limiter or lock")},
        {rt::TaskState::blocked, rt::WaitReason::io, tr("on I/O")},
        {rt::TaskState::blocked, rt::WaitReason::join, tr("on other tasks")},
    };
    const QFontMetricsF fm(font());
    const double size = 9 * m_scale;
    double x = margin;
    const double y = height() - margin / 2 - fm.height();
    for (const Entry& e : entries) {
        p.setPen(Qt::NoPen);
        p.setBrush(mark_colour(e.state, e.reason));
        p.drawEllipse(QRectF(x, y + (fm.height() - size) / 2, size, size));
        x += size + 4;
        p.setPen(palette().text().color());
        p.drawText(QPointF(x, y + fm.ascent()), e.text);
        x += fm.horizontalAdvance(e.text) + 14;
    }
}

void TopologyView::paint_edge(QPainter& p, const TopologyEdge& edge) const {
    const EdgeGeometry g = edge_geometry(edge);
    const QColor ink = palette().text().color();
    QPen pen(ink, 1.6 * m_scale);
    if (edge.reference) {
        pen.setStyle(Qt::DashLine);
        pen.setColor(palette().placeholderText().color());
    }
    p.setPen(pen);
    p.drawLine(g.from, g.to);

    // Arrow head at the receiving end.
    const QPointF direction = g.to - g.from;
    const double length = std::hypot(direction.x(), direction.y());
    if (length > 1) {
        const QPointF unit = direction / length, normal(-unit.y(), unit.x());
        const double size = 8 * m_scale;
        QPainterPath head;
        head.moveTo(g.to);
        head.lineTo(g.to - unit * size * 1.4 + normal * size * 0.6);
        head.lineTo(g.to - unit * size * 1.4 - normal * size * 0.6);
        head.closeSubpath();
        p.fillPath(head, pen.color());
    }
    if (edge.reference || edge.channel.empty()) return;

    // The channel: a fill bar (empty for an unbuffered channel), its fill and its flow.
    p.setPen(QPen(ink, 1));
    p.setBrush(palette().base());
    p.drawRect(g.bar);
    if (edge.cap > 0 && edge.len > 0) {
        QRectF filled = g.bar.adjusted(1, 1, -1, -1);
        filled.setWidth(filled.width() * std::min(1.0, double(edge.len) / double(edge.cap)));
        p.fillRect(filled,
                   edge.len >= edge.cap ? QColor(0xc6, 0x28, 0x28) : QColor(0x1e, 0x88, 0xe5));
    }
    const QFontMetricsF fm(font());
    const QString above =
        QStringLiteral("%1  %2").arg(QString::fromStdString(edge.channel), fill_text(edge));
    const QString below = flow_text(edge.per_second);
    p.setPen(ink);
    p.drawText(QRectF(g.bar.center().x() - 100 * m_scale, g.bar.top() - fm.height() - 2,
                      200 * m_scale, fm.height()),
               Qt::AlignHCenter | Qt::AlignBottom, above);
    p.drawText(
        QRectF(g.bar.center().x() - 100 * m_scale, g.bar.bottom() + 2, 200 * m_scale, fm.height()),
        Qt::AlignHCenter | Qt::AlignTop, below);
}

void TopologyView::paint_node(QPainter& p, const TopologyNode& node, QRectF box) const {
    const QColor ink = palette().text().color();
    p.setPen(QPen(ink, 1.4 * m_scale));
    p.setBrush(palette().alternateBase());
    p.drawRoundedRect(box, 8, 8);

    const QFontMetricsF fm(font());
    const double line = fm.height();
    QRectF text = box.adjusted(8, 4, -8, -4);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRectF(text.left(), text.top(), text.width(), line),
               Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(QString::fromStdString(node.name), Qt::ElideRight, text.width()));
    p.setFont(font());
    p.setPen(palette().placeholderText().color());
    QString subtitle = QString::fromStdString(node.kind);
    if (!node.detail.empty())
        subtitle += QStringLiteral(" · ") + QString::fromStdString(node.detail);
    p.drawText(QRectF(text.left(), text.top() + line, text.width(), line),
               Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(subtitle, Qt::ElideRight, text.width()));
    paint_tokens(p, node,
                 QRectF(text.left(), text.top() + 2 * line + 4, text.width(),
                        text.bottom() - text.top() - 2 * line - 4));
}

void TopologyView::paint_tokens(QPainter& p, const TopologyNode& node, QRectF area) const {
    if (area.height() <= 0 || node.tokens.empty()) return;
    const double size = 9 * m_scale, gap = 3 * m_scale;
    const int columns = std::max(1, int((area.width() + gap) / (size + gap)));
    const int rows = std::max(0, int((area.height() + gap) / (size + gap)));
    const size_t room = std::min(max_tokens, size_t(columns) * size_t(rows));
    p.setPen(Qt::NoPen);
    if (node.tokens.size() <= room) {
        for (size_t i = 0; i < node.tokens.size(); ++i) {
            const TopologyToken& t = node.tokens[i];
            p.setBrush(mark_colour(t.state, t.reason));
            p.drawEllipse(QRectF(area.left() + double(i % columns) * (size + gap),
                                 area.top() + double(i / columns) * (size + gap), size, size));
        }
        return;
    }
    // Too many to count by eye: one bar, each state's share of it, and the counts beneath.
    const std::vector<StateShare> shares = shares_of(node);
    const QRectF bar(area.left(), area.top(), area.width(), std::min(area.height(), size * 1.4));
    double x = bar.left();
    QStringList counts;
    for (const StateShare& s : shares) {
        const double w = bar.width() * double(s.count) / double(node.tokens.size());
        p.fillRect(QRectF(x, bar.top(), w, bar.height()), mark_colour(s.state, s.reason));
        x += w;
        counts << share_text(s);
    }
    p.setPen(palette().text().color());
    p.drawText(
        QRectF(area.left(), bar.bottom() + 2, area.width(), area.bottom() - bar.bottom() - 2),
        Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
        tr("%n tasks: ", nullptr, int(node.tokens.size())) + counts.join(QStringLiteral(", ")));
}

QString TopologyView::tooltip_at(QPointF at) const {
    const auto& nodes = m_model.nodes();
    for (size_t i = 0; i < nodes.size(); ++i) {
        if (!node_rect(static_cast<int>(i)).contains(at)) continue;
        const TopologyNode& node = nodes[i];
        QStringList lines{QStringLiteral("<b>%1</b> (%2)")
                              .arg(QString::fromStdString(node.name).toHtmlEscaped(),
                                   QString::fromStdString(node.kind))};
        if (!node.detail.empty()) lines << QString::fromStdString(node.detail).toHtmlEscaped();
        QStringList counts;
        for (const StateShare& s : shares_of(node)) counts << share_text(s);
        lines << (counts.isEmpty() ? tr("no live tasks")
                                   : tr("%n tasks: ", nullptr, int(node.tokens.size())) +
                                         counts.join(QStringLiteral(", ")));
        return lines.join(QStringLiteral("<br>"));
    }
    for (const TopologyEdge& edge : m_model.edges()) {
        if (edge.reference || edge.channel.empty()) continue;
        if (!edge_geometry(edge).bar.adjusted(-8, -24, 8, 24).contains(at)) continue;
        return tr("<b>channel %1</b><br>%2 of %3 buffered%4<br>flow %5 (received per second of "
                  "scenario time)")
            .arg(QString::fromStdString(edge.channel).toHtmlEscaped())
            .arg(edge.len)
            .arg(edge.cap)
            .arg(edge.closed ? tr(", closed") : QString())
            .arg(flow_text(edge.per_second));
    }
    return {};
}

bool TopologyView::event(QEvent* event) {
    if (answer_tooltip(event, this, [this](QPoint at) { return tooltip_at(at); })) return true;
    return QWidget::event(event);
}

}  // namespace cs::ui
