package dev.keyward.visual;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.options.HierarchyHandling;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Lays a {@link Diagram} out with Eclipse ELK's layered algorithm and draws it as SVG. ELK places groups,
 * nodes and edge bends (with as few crossings as its heuristics find); this class only turns the
 * coordinates into SVG elements. Every node is a {@code <g class="node">} with {@code data-kind} and
 * {@code data-id}, every link a {@code <path class="link KIND">}, so pages and tests can find them.
 */
public final class Svg {

  private static final double CHAR_WIDTH = 6.6;
  private static final double NODE_HEIGHT = 26;

  static {
    // ELK finds its algorithms through this registry; registering twice is harmless
    LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
  }

  private Svg() {}

  /** The text shown on a link: its own label, then the boundaries it crosses. */
  static String linkLabel(Diagram.Link l) {
    String mark = l.outsideOrganization() ? "outside org" : l.crossAccount() ? "cross-account" : "";
    if (l.label().isEmpty()) {
      return mark;
    }
    return mark.isEmpty() ? l.label() : l.label() + " (" + mark + ")";
  }

  /** Lays the diagram out and draws it; deterministic for the same diagram. */
  public static String render(Diagram d) {
    ElkNode root = ElkGraphUtil.createGraph();
    root.setProperty(CoreOptions.ALGORITHM, "org.eclipse.elk.layered");
    root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
    root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
    root.setProperty(CoreOptions.HIERARCHY_HANDLING, HierarchyHandling.INCLUDE_CHILDREN);
    root.setProperty(CoreOptions.SPACING_NODE_NODE, 14.0);
    root.setProperty(CoreOptions.PADDING, new ElkPadding(12));
    Map<String, ElkNode> groups = new HashMap<>();
    for (Diagram.Group g : d.groups()) {
      ElkNode n = ElkGraphUtil.createNode(root);
      n.setIdentifier(g.id());
      n.setProperty(CoreOptions.PADDING, new ElkPadding(30, 12, 12, 12));
      n.setProperty(CoreOptions.NODE_SIZE_MINIMUM, new org.eclipse.elk.core.math.KVector(
          width(g.label()) + 24, 60));
      n.setProperty(CoreOptions.NODE_SIZE_CONSTRAINTS, java.util.EnumSet.of(
          org.eclipse.elk.core.options.SizeConstraint.MINIMUM_SIZE));
      groups.put(g.id(), n);
    }
    Map<String, ElkNode> nodes = new HashMap<>();
    for (Diagram.Node n : d.nodes()) {
      ElkNode parent = n.group() == null ? root : groups.getOrDefault(n.group(), root);
      ElkNode e = ElkGraphUtil.createNode(parent);
      e.setIdentifier(n.id());
      e.setDimensions(width(n.label()), NODE_HEIGHT);
      nodes.put(n.id(), e);
    }
    Map<Diagram.Link, ElkEdge> edges = new java.util.LinkedHashMap<>();
    for (Diagram.Link l : d.links()) {
      ElkNode from = nodes.get(l.from());
      ElkNode to = nodes.get(l.to());
      if (from == null || to == null) {
        throw new IllegalArgumentException("a link names a node the diagram does not have: " + l);
      }
      ElkEdge e = ElkGraphUtil.createSimpleEdge(from, to);
      ElkGraphUtil.updateContainment(e);
      edges.put(l, e);
    }
    new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

    StringBuilder b = new StringBuilder();
    double w = Math.max(root.getWidth(), 100);
    double h = Math.max(root.getHeight(), 40);
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" viewBox=\"0 0 ").append(num(w)).append(' ')
        .append(num(h)).append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h))
        .append("\" role=\"img\" aria-label=\"").append(Html.escape(d.title())).append("\">\n");
    b.append("<defs>");
    for (String kind : List.of("use", "grant", "administer", "missing", "new", "other")) {
      b.append("<marker id=\"arrow-").append(kind).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"9\"")
          .append(" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"")
          .append(Diagram.colour(kind)).append("\"/></marker>");
    }
    b.append("</defs>\n");
    for (Diagram.Group g : d.groups()) {
      ElkNode n = groups.get(g.id());
      double x = absX(n);
      double y = absY(n);
      b.append("<g class=\"group\" data-id=\"").append(Html.escape(g.id())).append("\"><rect x=\"").append(num(x))
          .append("\" y=\"").append(num(y)).append("\" width=\"").append(num(n.getWidth())).append("\" height=\"")
          .append(num(n.getHeight())).append("\" rx=\"8\"/><text x=\"").append(num(x + 10)).append("\" y=\"")
          .append(num(y + 19)).append("\">").append(Html.escape(g.label())).append("</text></g>\n");
    }
    for (Map.Entry<Diagram.Link, ElkEdge> en : edges.entrySet()) {
      Diagram.Link l = en.getKey();
      ElkEdge e = en.getValue();
      ElkNode container = e.getContainingNode();
      double ox = container == null ? 0 : absX(container);
      double oy = container == null ? 0 : absY(container);
      StringBuilder path = new StringBuilder();
      for (ElkEdgeSection s : e.getSections()) {
        path.append('M').append(num(ox + s.getStartX())).append(',').append(num(oy + s.getStartY()));
        for (ElkBendPoint p : s.getBendPoints()) {
          path.append('L').append(num(ox + p.getX())).append(',').append(num(oy + p.getY()));
        }
        path.append('L').append(num(ox + s.getEndX())).append(',').append(num(oy + s.getEndY()));
      }
      String kind = List.of("use", "grant", "administer", "missing", "new").contains(l.kind()) ? l.kind() : "other";
      b.append("<path class=\"link ").append(kind).append(l.dashed() ? " dashed" : "")
          .append(l.crossAccount() ? " cross" : "").append(l.outsideOrganization() ? " outside" : "")
          .append("\" data-from=\"").append(Html.escape(l.from())).append("\" data-to=\"").append(Html.escape(l.to()))
          .append("\" d=\"").append(path).append("\" marker-end=\"url(#arrow-").append(kind).append(")\"><title>")
          .append(Html.escape(l.tooltip().isEmpty() ? linkLabel(l) : l.tooltip())).append("</title></path>\n");
    }
    for (Diagram.Node n : d.nodes()) {
      ElkNode e = nodes.get(n.id());
      double x = absX(e);
      double y = absY(e);
      b.append("<g class=\"node ").append(Html.escape(n.kind())).append("\" data-kind=\"").append(Html.escape(n.kind()))
          .append("\" data-id=\"").append(Html.escape(n.id())).append("\" tabindex=\"0\"><title>")
          .append(Html.escape(n.tooltip().isEmpty() ? n.id() : n.tooltip())).append("</title><rect x=\"").append(num(x))
          .append("\" y=\"").append(num(y)).append("\" width=\"").append(num(e.getWidth())).append("\" height=\"")
          .append(num(e.getHeight())).append("\" rx=\"").append(n.kind().equals("key") ? "2" : "12")
          .append("\"/><text x=\"").append(num(x + e.getWidth() / 2)).append("\" y=\"").append(num(y + 17))
          .append("\">").append(Html.escape(n.label())).append("</text></g>\n");
    }
    return b.append("</svg>").toString();
  }

  private static double width(String label) {
    return Math.max(40, label.length() * CHAR_WIDTH + 18);
  }

  private static double absX(ElkNode n) {
    double x = 0;
    for (ElkNode c = n; c != null && c.getParent() != null; c = c.getParent()) {
      x += c.getX();
    }
    return x;
  }

  private static double absY(ElkNode n) {
    double y = 0;
    for (ElkNode c = n; c != null && c.getParent() != null; c = c.getParent()) {
      y += c.getY();
    }
    return y;
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
