package dev.keyward.visual;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a {@link Diagram} in Graphviz's DOT language ({@code --format dot}). */
public final class Dot {

  private Dot() {}

  /** The diagram as one {@code digraph}, groups as clusters, in a deterministic order. */
  public static String write(Diagram d) {
    StringBuilder b = new StringBuilder();
    b.append("digraph keyward {\n");
    b.append("  label=").append(quote(d.title())).append(";\n  labelloc=t;\n  rankdir=LR;\n");
    b.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f5f5\", fontname=\"Helvetica\"];\n");
    b.append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    Map<String, List<Diagram.Node>> byGroup = d.nodesByGroup();
    List<Diagram.Node> loose = byGroup.get(null);
    int i = 0;
    for (Diagram.Group g : d.groups()) {
      b.append("  subgraph ").append(quote("cluster_" + i++)).append(" {\n");
      b.append("    label=").append(quote(g.label())).append(";\n    style=rounded;\n    color=\"#9e9e9e\";\n");
      for (Diagram.Node n : byGroup.get(g.id())) {
        b.append("    ").append(node(n)).append('\n');
      }
      b.append("  }\n");
    }
    for (Diagram.Node n : loose) {
      b.append("  ").append(node(n)).append('\n');
    }
    for (Diagram.Link l : d.links()) {
      b.append("  ").append(quote(l.from())).append(" -> ").append(quote(l.to())).append(" [color=")
          .append(quote(Diagram.colour(l.kind())));
      List<String> styles = new ArrayList<>();
      if (l.dashed()) {
        styles.add("dashed");
      }
      if (l.crossAccount() || l.outsideOrganization()) {
        styles.add("bold");
      }
      if (!styles.isEmpty()) {
        b.append(", style=").append(quote(String.join(",", styles)));
      }
      String label = Svg.linkLabel(l);
      if (!label.isEmpty()) {
        b.append(", label=").append(quote(label));
      }
      if (!l.tooltip().isEmpty()) {
        b.append(", tooltip=").append(quote(l.tooltip()));
      }
      b.append("];\n");
    }
    return b.append("}\n").toString();
  }

  private static String node(Diagram.Node n) {
    String shape = n.kind().equals("key") ? ", shape=component, fillcolor=\"#fff8e1\""
        : n.kind().equals("external") ? ", fillcolor=\"#ffebee\"" : "";
    return quote(n.id()) + " [label=" + quote(n.label()) + shape
        + (n.tooltip().isEmpty() ? "" : ", tooltip=" + quote(n.tooltip())) + "];";
  }

  /** A DOT double-quoted string: backslashes and quotes escaped, line breaks as {@code \n}. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c >= ' ') {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
