#pragma once
// TopologyView: the centre of the window — the running scenario drawn as a graph. Nodes are
// boxes named by name and kind, holding a token per live task coloured by its state (a bar of
// state shares when there are too many to count by eye); edges are arrows from each node to the
// next, with the channel's fill (len/cap) as a bar and its flow in messages per second; dashed
// arrows are references (a cache's origin). Hovering a node or an edge tells more.
//
//   view->show_scenario(&scenario);        // when a run starts (nullptr: none)
//   view->show_snapshot(*snapshot);        // on every refresh
#include <QWidget>
#include <optional>

#include "topology_model.h"

namespace cs::ui {

class TopologyView : public QWidget {
    Q_OBJECT

  public:
    // A node draws one token per task up to this many; above it, a bar of state shares.
    static constexpr size_t max_tokens = 96;

    explicit TopologyView(QWidget* parent = nullptr);

    void show_scenario(const scenario::Scenario* scenario);
    void show_snapshot(const telemetry::Snapshot& snapshot);
    // Thicker lines and larger tokens, for a projector.
    void set_presenter(bool on);

    const TopologyModel& model() const noexcept { return m_model; }
    // Where node `index` is drawn at the current size, and what hovering at `at` tells.
    QRectF node_rect(int index) const;
    QString tooltip_at(QPointF at) const;

    QSize sizeHint() const override { return {720, 320}; }
    QSize minimumSizeHint() const override { return {320, 160}; }

  protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

  private:
    struct EdgeGeometry {
        QPointF from, to;
        QRectF bar;  // the channel's fill bar, at the middle
    };
    EdgeGeometry edge_geometry(const TopologyEdge& edge) const;
    double legend_height() const;
    void paint_legend(class QPainter& p) const;
    void paint_edge(class QPainter& p, const TopologyEdge& edge) const;
    void paint_node(class QPainter& p, const TopologyNode& node, QRectF box) const;
    void paint_tokens(class QPainter& p, const TopologyNode& node, QRectF area) const;

    TopologyModel m_model;
    bool m_has_scenario = false;
    double m_scale = 1.0;  // line widths and token sizes
};

}  // namespace cs::ui
