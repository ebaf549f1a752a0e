package dev.keyward.visual;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Diagram} as a Mermaid flowchart ({@code --format mermaid}), which GitHub and most
 * Markdown viewers render. Node ids are generated ({@code n0}, {@code n1}, ...) because ARNs are not valid
 * Mermaid ids; labels carry the names.
 */
public final class Mermaid {

  private Mermaid() {}

  /** The diagram as {@code flowchart LR}, groups as subgraphs, link colours by {@code linkStyle}. */
  public static String write(Diagram d) {
    Map<String, String> ids = new HashMap<>();
    for (Diagram.Node n : d.nodes()) {
      ids.put(n.id(), "n" + ids.size());
    }
    StringBuilder b = new StringBuilder();
    b.append("flowchart LR\n");
    b.append("  %% ").append(label(d.title())).append('\n');
    Map<String, List<Diagram.Node>> byGroup = d.nodesByGroup();
    List<Diagram.Node> loose = byGroup.get(null);
    int g = 0;
    for (Diagram.Group group : d.groups()) {
      b.append("  subgraph g").append(g++).append(" [\"").append(label(group.label())).append("\"]\n");
      for (Diagram.Node n : byGroup.get(group.id())) {
        b.append("    ").append(node(ids.get(n.id()), n)).append('\n');
      }
      b.append("  end\n");
    }
    for (Diagram.Node n : loose) {
      b.append("  ").append(node(ids.get(n.id()), n)).append('\n');
    }
    int i = 0;
    StringBuilder styles = new StringBuilder();
    for (Diagram.Link l : d.links()) {
      String text = Svg.linkLabel(l);
      String arrow = l.dashed() ? " -.->" : (l.crossAccount() || l.outsideOrganization() ? " ==>" : " -->");
      b.append("  ").append(ids.get(l.from())).append(arrow);
      if (!text.isEmpty()) {
        b.append("|\"").append(label(text)).append("\"|");
      }
      b.append(' ').append(ids.get(l.to())).append('\n');
      styles.append("  linkStyle ").append(i++).append(" stroke:").append(Diagram.colour(l.kind())).append('\n');
    }
    b.append(styles);
    b.append("  classDef key fill:#fff8e1,stroke:#8d6e63\n");
    b.append("  classDef external fill:#ffebee,stroke:#c62828\n");
    for (Diagram.Node n : d.nodes()) {
      if (n.kind().equals("key") || n.kind().equals("external")) {
        b.append("  class ").append(ids.get(n.id())).append(' ').append(n.kind()).append('\n');
      }
    }
    return b.toString();
  }

  private static String node(String id, Diagram.Node n) {
    String text = label(n.label());
    return n.kind().equals("key") ? id + "[(\"" + text + "\")]" : id + "[\"" + text + "\"]";
  }

  /** Text safe inside a quoted Mermaid label: quotes and markup characters as entity codes. */
  static String label(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("#quot;");
          break;
        case '<':
          b.append("#lt;");
          break;
        case '>':
          b.append("#gt;");
          break;
        case '#':
          b.append("#35;");
          break;
        case '\n':
        case '\r':
          b.append(' ');
          break;
        default:
          if (c >= ' ') {
            b.append(c);
          }
      }
    }
    return b.toString();
  }
}
