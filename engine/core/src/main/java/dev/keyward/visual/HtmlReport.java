package dev.keyward.visual;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keyward.analysis.Finding;
import dev.keyward.analysis.MissingRequest;
import dev.keyward.lint.Rule;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Severity;
import dev.keyward.model.Statement;
import dev.keyward.world.Grant;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KeyMetadata;
import dev.keyward.world.KmsKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Writes the report: one self-contained HTML page (styles, scripts, data and the SVG graph inline; no
 * network at view time, works from {@code file://}, prints). Deterministic: the same input gives the same
 * bytes.
 *
 * <p>Worlds with more than {@link #MAX_FULL_PRINCIPALS} principals or {@link #MAX_FULL_KEYS} keys get a
 * graph of accounts (each with its counts, links summing the principal-to-key edges between two accounts)
 * and a filterable list instead of the full matrix, so that the page stays quick to open.
 */
public final class HtmlReport {

  /** Above this many principals the graph collapses to accounts. */
  public static final int MAX_FULL_PRINCIPALS = AccessGraph.LARGE_PRINCIPALS;
  /** Above this many keys the graph collapses to accounts. */
  public static final int MAX_FULL_KEYS = AccessGraph.LARGE_KEYS;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private HtmlReport() {}

  /** Whether the graph of this input is collapsed to accounts. */
  public static boolean collapsed(AccessGraph g) {
    return g.principals().size() > MAX_FULL_PRINCIPALS || g.keys().size() > MAX_FULL_KEYS;
  }

  /** The page. */
  public static String write(ReportInput in) {
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // no request may leave the page: the policy forbids every fetch, and nothing refers to one
    b.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
        + " script-src 'unsafe-inline'; img-src data:\">\n");
    b.append("<title>Keyward report: ").append(Html.escape(in.title())).append("</title>\n<style>\n")
        .append(resource("report.css")).append("</style>\n</head>\n<body>\n");
    b.append("<header><h1>Keyward report</h1><p class=\"sub\">").append(Html.escape(in.title())).append("</p></header>\n");
    b.append("<nav><a href=\"#summary\">Summary</a> <a href=\"#graph\">Access graph</a> <a href=\"#matrix\">Principals"
        + " &times; keys</a> <a href=\"#findings\">Findings</a> <a href=\"#keys\">Keys</a> <a href=\"#principals\">"
        + "Principals</a></nav>\n<main>\n");
    Anchors anchors = Anchors.of(in);
    summary(b, in);
    // a large world's findings, keys and principals are megabytes of markup that the browser would parse
    // before showing anything: there they travel as text and become markup when scrolled to or printed
    boolean lazy = in.graph() != null && collapsed(in.graph());
    // NOTE: the parts of the page depend only on the input, not on each other: they are written side by side
    // (each into its own buffer) and joined in page order, so the page is the same as written one by one
    List<CompletableFuture<Part>> parts = new ArrayList<>();
    if (in.graph() != null) {
      parts.add(part(x -> {
        graph(x.markup, in);
        matrix(x.markup, in);
      }));
    }
    parts.add(part(x -> section(x.markup, "findings", lazy, x.later, y -> findings(y, in, anchors))));
    if (in.world() != null) {
      parts.add(part(x -> section(x.markup, "keys", lazy, x.later, y -> keys(y, in))));
      parts.add(part(x -> section(x.markup, "principals", lazy, x.later, y -> principals(y, in))));
    }
    CompletableFuture<String> data = Tasks.start("report-data", () -> data(in));
    Map<String, String> later = new LinkedHashMap<>();
    for (CompletableFuture<Part> f : parts) {
      Part p = Reports.join(f);
      b.append(p.markup);
      later.putAll(p.later);
    }
    b.append("</main>\n<aside id=\"detail\" hidden><button type=\"button\" id=\"detail-close\" aria-label=\"close\">"
        + "&times;</button><div id=\"detail-body\"></div></aside>\n");
    if (lazy) {
      // the data and the sections, gzip-compressed and in base64: a page of a quarter of the bytes, which
      // the browser reads and parses that much quicker; the script inflates them (DecompressionStream)
      b.append("<script type=\"application/json\" id=\"data\">{\"collapsed\":true,\"packed\":true}</script>\n");
      b.append("<script type=\"text/plain\" id=\"packed\">").append(packed(Reports.join(data), later))
          .append("</script>\n");
    } else {
      b.append("<script type=\"application/json\" id=\"data\">").append(Reports.join(data)).append("</script>\n");
    }
    b.append("<script>\n").append(resource("report.js")).append("</script>\n</body>\n</html>\n");
    return b.toString();
  }

  /** One part of the page: its markup, and the sections it leaves for the page's script to insert. */
  private static final class Part {
    final StringBuilder markup = new StringBuilder(1 << 16);
    final Map<String, String> later = new LinkedHashMap<>();
  }

  private static CompletableFuture<Part> part(java.util.function.Consumer<Part> write) {
    return Tasks.start("report-part", () -> {
      Part p = new Part();
      write.accept(p);
      return p;
    });
  }

  /**
   * Writes one {@code <section>}; when {@code lazy}, only its heading and an empty
   * {@code <div class="lazy" data-lazy="ID">} go into the page, and the rest of its markup into {@code later}
   * for the page's script to insert.
   */
  private static void section(StringBuilder b, String id, boolean lazy, Map<String, String> later,
      java.util.function.Consumer<StringBuilder> write) {
    if (!lazy) {
      write.accept(b);
      return;
    }
    StringBuilder x = new StringBuilder(1 << 16);
    write.accept(x);
    String open = "<section id=\"" + id + "\">";
    int head = x.indexOf("</h2>");
    int end = x.lastIndexOf("</section>");
    if (x.indexOf(open) != 0 || head < 0 || end < head) {
      throw new IllegalStateException("section " + id + " is not <section><h2>...</h2>...</section>");
    }
    b.append(x, 0, head + 5).append("\n<div class=\"lazy\" data-lazy=\"").append(id)
        .append("\"><p class=\"hint\">shown when scrolled to</p></div>").append(x, end, x.length());
    later.put(id, x.substring(head + 5, end));
  }

  /** {@code {"data": DATA, "lazy": SECTIONS}}, gzip-compressed, in base64. */
  private static String packed(String data, Map<String, String> later) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 20);
    try (java.io.Writer w = new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(bytes, 1 << 16),
        java.nio.charset.StandardCharsets.UTF_8)) {
      w.write("{\"data\":");
      w.write(data);
      w.write(",\"lazy\":");
      w.write(JSON.writeValueAsString(later));
      w.write("}");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("the report data cannot be compressed", e);
    }
    return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  // ---------------------------------------------------------------------------------------------------

  private static void summary(StringBuilder b, ReportInput in) {
    b.append("<section id=\"summary\"><h2>Summary</h2><table class=\"summary\">\n");
    if (in.world() != null) {
      row(b, "accounts", Integer.toString(in.graph().accounts().size()));
      row(b, "principals", Integer.toString(in.world().principals().size()));
      row(b, "keys", Integer.toString(in.world().keys().size()));
      int grants = 0;
      for (KmsKey k : in.world().keys()) {
        grants += k.grants().size();
      }
      row(b, "grants", Integer.toString(grants));
      Map<String, Integer> kinds = new LinkedHashMap<>();
      int cross = 0;
      int outside = 0;
      int conditional = 0;
      for (AccessGraph.Edge e : in.graph().edges()) {
        kinds.merge(e.strongest().label(), 1, Integer::sum);
        cross += e.crossAccount() ? 1 : 0;
        outside += e.outsideOrganization() ? 1 : 0;
        conditional += e.conditional() ? 1 : 0;
      }
      row(b, "principal-key pairs with access", in.graph().edges().size() + " (administer " + kinds.getOrDefault(
          "administer", 0) + ", grant " + kinds.getOrDefault("grant", 0) + ", use only " + kinds.getOrDefault("use", 0)
          + "; " + conditional + " only under conditions, " + cross + " cross-account, " + outside
          + " from outside the organization)");
    }
    if (in.check() != null) {
      row(b, "check findings", bySeverity(in.check().findings().stream().map(Finding::severity).toList()));
    }
    if (in.lint() != null) {
      row(b, "lint findings", bySeverity(in.lint().findings().stream().map(dev.keyward.lint.Finding::severity)
          .toList()));
    }
    row(b, "IAM data date", in.iamDataDate().toString());
    b.append("</table></section>\n");
  }

  private static String bySeverity(List<Severity> all) {
    int[] n = new int[Severity.values().length];
    for (Severity s : all) {
      n[s.ordinal()]++;
    }
    List<String> parts = new ArrayList<>();
    for (Severity s : Severity.values()) {
      parts.add("<span class=\"sev " + s.label() + "\">" + n[s.ordinal()] + " " + s.label() + (n[s.ordinal()] == 1
          ? "" : "s") + "</span>");
    }
    return String.join(" ", parts);
  }

  private static void row(StringBuilder b, String name, String valueHtml) {
    b.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(valueHtml.startsWith("<") ? valueHtml
        : Html.escape(valueHtml)).append("</td></tr>\n");
  }

  // ---------------------------------------------------------------------------------------------------

  private static void graph(StringBuilder b, ReportInput in) {
    AccessGraph g = in.graph();
    boolean collapsed = collapsed(g);
    b.append("<section id=\"graph\"><h2>Access graph</h2>\n");
    b.append("<p class=\"legend\"><span class=\"l use\">use</span> <span class=\"l grant\">grant</span> <span"
        + " class=\"l administer\">administer</span> <span class=\"l dashed\">only under conditions</span> <span"
        + " class=\"l cross\">cross-account (thick)</span> <span class=\"l outside\">outside the organization"
        + " (labelled)</span></p>\n");
    b.append("<p class=\"filter\"><label>Filter <input type=\"search\" id=\"filter\" placeholder=\"account, ARN or"
        + " alias\"></label> <span id=\"filter-count\"></span></p>\n");
    if (collapsed) {
      b.append("<p class=\"hint\">This world has ").append(g.principals().size()).append(" principals and ")
          .append(g.keys().size()).append(" keys: the graph shows accounts, each link the principal-to-key access"
              + " from one account to another. Click an account or use the filter to list its access below.</p>\n");
    }
    b.append("<div class=\"graph-box\" id=\"graph-box\" data-collapsed=\"").append(collapsed).append("\">\n")
        .append(Svg.render(collapsed ? accountDiagram(g) : fullDiagram(g))).append("\n</div></section>\n");
  }

  /** Principals and keys as nodes inside their accounts, one link per principal-key pair with access. */
  public static Diagram fullDiagram(AccessGraph g) {
    List<Diagram.Group> groups = new ArrayList<>();
    for (AccessGraph.AccountInfo a : g.accounts()) {
      groups.add(new Diagram.Group("account:" + a.id(), accountLabel(a)));
    }
    List<Diagram.Node> nodes = new ArrayList<>();
    for (IamPrincipal p : g.principals()) {
      nodes.add(new Diagram.Node(p.arn(), principalLabel(p.arn()), "account:" + p.account(), "principal", p.arn()));
    }
    for (KmsKey k : g.keys()) {
      nodes.add(new Diagram.Node(k.arn().toString(), keyLabel(k), "account:" + k.account(), "key", keyTooltip(k)));
    }
    List<Diagram.Link> links = new ArrayList<>();
    for (AccessGraph.Edge e : g.edges()) {
      IamPrincipal p = g.principals().get(e.principal());
      KmsKey k = g.keys().get(e.key());
      links.add(new Diagram.Link(p.arn(), k.arn().toString(), e.strongest().label(), e.conditional(), e.crossAccount(),
          e.outsideOrganization(), "", edgeTooltip(g, e)));
    }
    return new Diagram("who can use which key", groups, nodes, links);
  }

  /** Accounts as nodes (inside their organizations), one link per pair of accounts with access between them. */
  public static Diagram accountDiagram(AccessGraph g) {
    Map<String, int[]> counts = new TreeMap<>();
    for (IamPrincipal p : g.principals()) {
      counts.computeIfAbsent(p.account(), x -> new int[3])[0]++;
    }
    for (KmsKey k : g.keys()) {
      counts.computeIfAbsent(k.account(), x -> new int[3])[1]++;
    }
    Map<String, List<AccessGraph.Edge>> between = new TreeMap<>();
    for (AccessGraph.Edge e : g.edges()) {
      String from = g.principals().get(e.principal()).account();
      String to = g.keys().get(e.key()).account();
      if (from.equals(to)) {
        counts.get(from)[2]++;
      } else {
        between.computeIfAbsent(from + " " + to, x -> new ArrayList<>()).add(e);
      }
    }
    List<Diagram.Group> groups = new ArrayList<>();
    Set<String> orgs = new java.util.TreeSet<>();
    for (AccessGraph.AccountInfo a : g.accounts()) {
      if (a.organization() != null && orgs.add(a.organization())) {
        groups.add(new Diagram.Group("org:" + a.organization(), "organization " + a.organization()));
      }
    }
    List<Diagram.Node> nodes = new ArrayList<>();
    for (AccessGraph.AccountInfo a : g.accounts()) {
      int[] c = counts.get(a.id());
      nodes.add(new Diagram.Node("account:" + a.id(), a.id() + ": " + c[0] + " principals, " + c[1] + " keys",
          a.organization() == null ? null : "org:" + a.organization(), "account",
          "account " + a.id() + ": " + c[0] + " principals, " + c[1] + " keys, " + c[2] + " pairs with access inside"
              + " the account"));
    }
    List<Diagram.Link> links = new ArrayList<>();
    for (Map.Entry<String, List<AccessGraph.Edge>> en : between.entrySet()) {
      String[] ends = en.getKey().split(" ");
      AccessGraph.Access strongest = AccessGraph.Access.USE;
      boolean allConditional = true;
      boolean outside = false;
      Set<Integer> ps = new java.util.HashSet<>();
      Set<Integer> ks = new java.util.HashSet<>();
      for (AccessGraph.Edge e : en.getValue()) {
        if (e.strongest().compareTo(strongest) > 0) {
          strongest = e.strongest();
        }
        allConditional &= e.conditional();
        outside |= e.outsideOrganization();
        ps.add(e.principal());
        ks.add(e.key());
      }
      links.add(new Diagram.Link("account:" + ends[0], "account:" + ends[1], strongest.label(), allConditional, true,
          outside, ps.size() + "→" + ks.size(), ps.size() + " principals of " + ends[0] + " reach " + ks.size()
              + " keys of " + ends[1] + " (" + en.getValue().size() + " pairs)"));
    }
    return new Diagram("which accounts reach keys of which", groups, nodes, links);
  }

  static String accountLabel(AccessGraph.AccountInfo a) {
    return "account " + a.id() + (a.organization() == null ? "" : " (" + a.organization() + ")");
  }

  static String principalLabel(String arn) {
    int colon = arn.indexOf(':', arn.indexOf(':', arn.indexOf(':', arn.indexOf(':', arn.indexOf(':') + 1) + 1) + 1) + 1);
    return colon < 0 ? arn : arn.substring(colon + 1);
  }

  static String keyLabel(KmsKey k) {
    if (!k.metadata().aliases().isEmpty()) {
      String a = k.metadata().aliases().get(0);
      int slash = a.indexOf("alias/");
      return slash >= 0 ? a.substring(slash) : a;
    }
    String id = k.arn().resource();
    return id.length() > 16 ? id.substring(0, 16) + "…" : id;
  }

  static String keyTooltip(KmsKey k) {
    return k.arn() + (k.metadata().aliases().isEmpty() ? "" : "\n" + String.join(", ", k.metadata().aliases()));
  }

  static String edgeTooltip(AccessGraph g, AccessGraph.Edge e) {
    StringBuilder t = new StringBuilder();
    t.append(g.principals().get(e.principal()).arn()).append("\n→ ").append(g.keys().get(e.key()).arn());
    if (e.outsideOrganization()) {
      t.append("\n(from outside the key's organization)");
    } else if (e.crossAccount()) {
      t.append("\n(cross-account)");
    }
    for (AccessGraph.ActionAnswer a : e.answers()) {
      t.append('\n').append(a.action()).append(a.conditional() ? " (only under conditions)" : "");
    }
    return t.toString();
  }

  // ---------------------------------------------------------------------------------------------------

  private static void matrix(StringBuilder b, ReportInput in) {
    b.append("<section id=\"matrix\"><h2>Principals &times; keys</h2>\n<p class=\"hint\">Each cell lists the kinds of"
        + " access (<b>U</b>se, <b>G</b>rant, <b>A</b>dminister); an italic cell holds only under conditions."
        + " Hover for the actions, click for the deciding statements. Actions asked: ")
        .append(Html.escape(String.join(", ", in.graph().actions()))).append(".</p>\n<div id=\"matrix-box\"></div>"
            + "</section>\n");
  }

  /** The data the page's script renders the matrix and the details from. */
  private static String data(ReportInput in) {
    Map<String, Object> m = new LinkedHashMap<>();
    AccessGraph g = in.graph();
    if (g != null) {
      m.put("collapsed", collapsed(g));
      List<String> actions = g.actions();
      m.put("actions", actions);
      List<Object> ps = new ArrayList<>();
      for (IamPrincipal p : g.principals()) {
        ps.add(List.of(p.arn(), p.account(), principalLabel(p.arn())));
      }
      m.put("principals", ps);
      List<Object> ks = new ArrayList<>();
      for (KmsKey k : g.keys()) {
        ks.add(List.of(k.arn().toString(), k.account(), keyLabel(k)));
      }
      m.put("keys", ks);
      Map<String, Integer> strings = new LinkedHashMap<>();
      List<Object> edges = new ArrayList<>();
      for (AccessGraph.Edge e : g.edges()) {
        List<Object> answers = new ArrayList<>();
        for (AccessGraph.ActionAnswer a : e.answers()) {
          answers.add(List.of(actions.indexOf(a.action()), a.conditional() ? 1 : 0, indexes(strings, a.deciding()),
              indexes(strings, a.conditions())));
        }
        edges.add(List.of(e.principal(), e.key(), (e.crossAccount() ? 1 : 0) | (e.outsideOrganization() ? 2 : 0),
            answers));
      }
      m.put("strings", new ArrayList<>(strings.keySet()));
      m.put("edges", edges);
    }
    try {
      // INVARIANT: "</" never appears raw inside the script element that holds the data
      return JSON.writeValueAsString(m).replace("</", "<\\/");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the report data cannot be written", e);
    }
  }

  private static List<Integer> indexes(Map<String, Integer> table, List<String> values) {
    List<Integer> out = new ArrayList<>(values.size());
    for (String v : values) {
      out.add(table.computeIfAbsent(v, x -> table.size()));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------

  /** Where a finding's subject or policy is described on the page. */
  private record Anchors(Map<String, String> byName) {
    static Anchors of(ReportInput in) {
      Map<String, String> m = new HashMap<>();
      if (in.world() != null) {
        for (int i = 0; i < in.world().keys().size(); i++) {
          KmsKey k = in.world().keys().get(i);
          m.putIfAbsent(k.arn().toString(), "key-" + i);
          m.putIfAbsent(k.policy().name(), "key-" + i);
          for (String a : k.metadata().aliases()) {
            m.putIfAbsent(a, "key-" + i);
          }
        }
        for (int i = 0; i < in.world().principals().size(); i++) {
          IamPrincipal p = in.world().principals().get(i);
          m.putIfAbsent(p.arn(), "principal-" + i);
          for (PolicyDocument d : p.policies()) {
            m.putIfAbsent(d.name(), "principal-" + i);
          }
        }
      }
      return new Anchors(m);
    }

    /** The anchor for a subject (an ARN, or a policy's name, possibly with a pointer after #), or null. */
    String find(String subject) {
      if (subject == null) {
        return null;
      }
      String a = byName.get(subject);
      if (a == null && subject.indexOf('#') > 0) {
        a = byName.get(subject.substring(0, subject.indexOf('#')));
      }
      return a;
    }
  }

  private static void findings(StringBuilder b, ReportInput in, Anchors anchors) {
    b.append("<section id=\"findings\"><h2>Findings</h2>\n");
    if (in.check() != null) {
      b.append("<h3>Environment checks</h3>\n");
      if (in.check().findings().isEmpty()) {
        b.append("<p>No findings.</p>\n");
      }
      for (Finding f : in.check().findings()) {
        b.append("<div class=\"finding ").append(f.severity().label()).append("\"><p><span class=\"sev ")
            .append(f.severity().label()).append("\">").append(f.severity().label()).append("</span> <code>")
            .append(Html.escape(f.analysis())).append("</code> ").append(link(anchors, f.subject())).append("</p>\n<p>")
            .append(Html.escape(f.message())).append("</p>\n");
        for (MissingRequest r : f.missing()) {
          b.append("<p class=\"req\">refused: ").append(link(anchors, r.principal())).append(" <code>")
              .append(Html.escape(r.action())).append("</code> on ").append(link(anchors, r.resource()))
              .append(r.context().isEmpty() ? "" : " with <code>" + Html.escape(r.context().toString()) + "</code>")
              .append("</p>\n");
        }
        if (f.policy() != null) {
          b.append("<p>change: ").append(link(anchors, f.policy())).append("</p>\n");
        }
        if (f.fix() != null) {
          b.append("<p>fix:</p><pre class=\"fix\">").append(Html.escape(f.fix())).append("</pre>\n");
        }
        b.append("</div>\n");
      }
    }
    if (in.lint() != null) {
      b.append("<h3>Lint</h3>\n");
      if (in.lint().findings().isEmpty()) {
        b.append("<p>No findings.</p>\n");
      }
      Map<String, Rule> rules = new HashMap<>();
      for (Rule r : in.rules()) {
        rules.put(r.id(), r);
      }
      // grouped by rule: the rule's fix once, then each place it found
      Map<String, List<dev.keyward.lint.Finding>> byRule = new TreeMap<>();
      for (dev.keyward.lint.Finding f : in.lint().findings()) {
        byRule.computeIfAbsent(f.ruleId(), x -> new ArrayList<>()).add(f);
      }
      for (Map.Entry<String, List<dev.keyward.lint.Finding>> e : byRule.entrySet()) {
        Rule r = rules.get(e.getKey());
        Severity worst = Severity.NOTE;
        for (dev.keyward.lint.Finding f : e.getValue()) {
          worst = f.severity().ordinal() < worst.ordinal() ? f.severity() : worst;
        }
        b.append("<div class=\"finding ").append(worst.label()).append("\"><p><code>").append(Html.escape(e.getKey()))
            .append("</code> ").append(Html.escape(r == null ? "" : r.name())).append(" &mdash; ")
            .append(e.getValue().size()).append(e.getValue().size() == 1 ? " finding" : " findings").append("</p>\n");
        String fix = r == null ? null : howToFix(r.docs());
        if (fix != null) {
          b.append("<p>fix:</p><pre class=\"fix\">").append(Html.escape(fix)).append("</pre>\n");
        }
        b.append("<ul class=\"places\">\n");
        for (dev.keyward.lint.Finding f : e.getValue()) {
          String target = anchors.find(f.file());
          b.append("<li><span class=\"sev ").append(f.severity().label()).append("\">").append(f.severity().label())
              .append("</span> <code>").append(Html.escape(f.where())).append("</code>")
              .append(f.pointer().isEmpty() ? "" : " <code>" + Html.escape(f.pointer()) + "</code>")
              .append(f.statement() == null ? "" : " statement <code>" + Html.escape(f.statement()) + "</code>")
              .append(target == null ? "" : " (<a href=\"#" + target + "\">" + (target.startsWith("key") ? "key"
                  : "principal") + "</a>)")
              .append(": ").append(Html.escape(f.message())).append("</li>\n");
        }
        b.append("</ul></div>\n");
      }
    }
    b.append("</section>\n");
  }

  /** The "How to fix" section of a rule's docs, or null. */
  static String howToFix(String docs) {
    if (docs == null) {
      return null;
    }
    int at = docs.indexOf("## How to fix");
    if (at < 0) {
      return null;
    }
    int start = docs.indexOf('\n', at);
    if (start < 0) {
      return null;
    }
    int end = docs.indexOf("\n## ", start);
    String s = (end < 0 ? docs.substring(start) : docs.substring(start, end)).strip();
    return s.isEmpty() ? null : s;
  }

  private static String link(Anchors anchors, String subject) {
    String a = anchors.find(subject);
    String text = "<code>" + Html.escape(subject) + "</code>";
    return a == null ? text : "<a href=\"#" + a + "\">" + text + "</a>";
  }

  // ---------------------------------------------------------------------------------------------------

  private static void keys(StringBuilder b, ReportInput in) {
    b.append("<section id=\"keys\"><h2>Keys</h2>\n");
    List<KmsKey> keys = in.world().keys();
    for (int i = 0; i < keys.size(); i++) {
      KmsKey k = keys.get(i);
      KeyMetadata m = k.metadata();
      Set<String> outside = i < in.externalAccess().size() ? in.externalAccess().get(i) : Set.of();
      b.append("<details class=\"key\" id=\"key-").append(i).append("\"><summary><code>").append(Html.escape(keyLabel(k)))
          .append("</code> ").append(Html.escape(k.arn().toString()))
          .append(outside.isEmpty() ? "" : " <span class=\"badge outside\">outside access</span>").append("</summary>\n");
      b.append("<table class=\"props\">");
      row(b, "account", k.account());
      row(b, "aliases", m.aliases().isEmpty() ? "none" : String.join(", ", m.aliases()));
      row(b, "spec / usage / origin", orDash(m.spec()) + " / " + orDash(m.usage()) + " / " + orDash(m.origin()));
      row(b, "manager / state", orDash(m.manager()) + " / " + orDash(m.state()));
      row(b, "rotation", m.rotationEnabled() == null ? "not stated" : m.rotationEnabled()
          ? "enabled" + (m.rotationPeriodDays() == null ? "" : ", every " + m.rotationPeriodDays() + " days")
          : "disabled");
      row(b, "multi-Region", m.multiRegionRole() == null ? "single-Region key" : m.multiRegionRole().toLowerCase(
          Locale.ROOT) + (m.primaryArn() == null ? "" : " of " + m.primaryArn()));
      b.append("</table>\n<h4>Key policy <small>").append(Html.escape(k.policy().name()))
          .append(k.defaultPolicy() && !"AWS".equals(m.manager()) ? " (the default key policy)" : "").append("</small></h4>\n");
      for (Statement s : k.policy().statements()) {
        boolean out = outside.contains(s.label());
        b.append("<div class=\"stmt").append(out ? " outside" : "").append("\">")
            .append(out ? "<p class=\"why\">gives access outside account " + Html.escape(k.account()) + "</p>" : "")
            .append("<pre>").append(Html.escape(statementJson(s))).append("</pre></div>\n");
      }
      b.append("<h4>Grants</h4>\n");
      if (k.grants().isEmpty()) {
        b.append("<p>none</p>\n");
      } else {
        b.append("<table class=\"grants\"><tr><th>grantee</th><th>operations</th><th>constraints</th><th>retiring"
            + " principal</th></tr>\n");
        for (Grant gr : k.grants()) {
          // sorted, so that the page is the same on every run
          String constraints = (gr.encryptionContextEquals() == null || gr.encryptionContextEquals().isEmpty() ? ""
              : "equals " + new TreeMap<>(gr.encryptionContextEquals())) + (gr.encryptionContextSubset() == null
              || gr.encryptionContextSubset().isEmpty() ? "" : " subset " + new TreeMap<>(gr.encryptionContextSubset()));
          b.append("<tr><td><code>").append(Html.escape(gr.grantee())).append("</code></td><td>")
              .append(Html.escape(String.join(", ", gr.operations()))).append("</td><td>")
              .append(Html.escape(constraints.isBlank() ? "none" : constraints.strip())).append("</td><td>")
              .append(Html.escape(orDash(gr.retiringPrincipal()))).append("</td></tr>\n");
        }
        b.append("</table>\n");
      }
      b.append("</details>\n");
    }
    b.append("</section>\n");
  }

  private static String orDash(String s) {
    return s == null ? "–" : s;
  }

  /** A statement as JSON, with its elements as written. */
  static String statementJson(Statement s) {
    try {
      return PRETTY.writeValueAsString(dev.keyward.analysis.Statements.toMap(s));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a statement cannot be written", e);
    }
  }

  private static void principals(StringBuilder b, ReportInput in) {
    b.append("<section id=\"principals\"><h2>Principals</h2>\n<table class=\"list\"><tr><th>principal</th><th>account"
        + "</th><th>policies</th><th>boundary</th></tr>\n");
    List<IamPrincipal> ps = in.world().principals();
    for (int i = 0; i < ps.size(); i++) {
      IamPrincipal p = ps.get(i);
      List<String> names = new ArrayList<>();
      for (PolicyDocument d : p.policies()) {
        names.add(d.name());
      }
      b.append("<tr id=\"principal-").append(i).append("\"><td><code>").append(Html.escape(p.arn()))
          .append("</code></td><td>").append(Html.escape(p.account())).append("</td><td>")
          .append(Html.escape(String.join(", ", names))).append("</td><td>")
          .append(Html.escape(p.boundary() == null ? "–" : p.boundary().name())).append("</td></tr>\n");
    }
    b.append("</table></section>\n");
  }

  private static String resource(String name) {
    try (InputStream s = HtmlReport.class.getResourceAsStream(name)) {
      if (s == null) {
        throw new IllegalStateException("the report's " + name + " is missing from the jar");
      }
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
