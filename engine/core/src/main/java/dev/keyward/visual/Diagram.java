package dev.keyward.visual;

import java.util.List;
import java.util.Objects;

/**
 * A graph to draw: nodes, optionally inside groups (accounts), and directed links. Every graph output of
 * Keyward (the report's SVG, {@code --format dot}, {@code --format mermaid}) is made from one of these, so
 * all three show the same thing.
 *
 * @param title what the graph shows, one line
 * @param groups boxes that hold nodes (an account, or everything outside the world)
 * @param nodes the nodes, in a stable order
 * @param links the links, in a stable order; both ends name nodes of {@code nodes}
 */
public record Diagram(String title, List<Group> groups, List<Node> nodes, List<Link> links) {

  /** A box holding nodes. {@code id} is unique among groups and nodes. */
  public record Group(String id, String label) {
    public Group {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(label, "label");
    }
  }

  /**
   * A node.
   *
   * @param id unique among groups and nodes (an ARN, an account id, ...)
   * @param label the text shown
   * @param group the id of the group holding it, or null
   * @param kind what it is: {@code principal}, {@code key}, {@code account}, {@code external}
   * @param tooltip more text shown on hover ("" for none)
   */
  public record Node(String id, String label, String group, String kind, String tooltip) {
    public Node {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(tooltip, "tooltip");
    }
  }

  /**
   * A directed link.
   *
   * @param kind its colour class: {@code use}, {@code grant}, {@code administer}, {@code missing} (a request
   *     that must be allowed and is not), {@code new} (access a change adds)
   * @param dashed only under conditions
   * @param crossAccount the two ends are in different accounts
   * @param outsideOrganization the source is outside the target's organization
   * @param label short text on the link ("" for none)
   * @param tooltip more text shown on hover ("" for none)
   */
  public record Link(String from, String to, String kind, boolean dashed, boolean crossAccount,
      boolean outsideOrganization, String label, String tooltip) {
    public Link {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(tooltip, "tooltip");
    }
  }

  public Diagram {
    Objects.requireNonNull(title, "title");
    groups = List.copyOf(groups);
    nodes = List.copyOf(nodes);
    links = List.copyOf(links);
  }

  /**
   * The nodes of each group (by group id, in group order), and under the key {@code null} the nodes in no
   * group (or in a group the diagram does not have).
   */
  public java.util.Map<String, List<Node>> nodesByGroup() {
    java.util.Map<String, List<Node>> m = new java.util.LinkedHashMap<>();
    for (Group g : groups) {
      m.put(g.id(), new java.util.ArrayList<>());
    }
    m.put(null, new java.util.ArrayList<>());
    for (Node n : nodes) {
      List<Node> in = n.group() == null ? null : m.get(n.group());
      (in == null ? m.get(null) : in).add(n);
    }
    return m;
  }

  /** The colour of a link kind, the same in SVG, DOT and Mermaid. */
  public static String colour(String kind) {
    switch (kind) {
      case "use":
        return "#1f6fb4";
      case "grant":
        return "#d9730d";
      case "administer":
        return "#c62828";
      case "missing":
        return "#7b1fa2";
      case "new":
        return "#2e7d32";
      default:
        return "#555555";
    }
  }
}
