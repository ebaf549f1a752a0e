package dev.keyward.iam;

import dev.keyward.model.Arn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM reference data: every AWS service's actions, resource types and condition keys, and the global
 * condition keys, as bundled with Keyward (see {@code docs/iam-reference.md}).
 *
 * <p>Instances are immutable and safe to share between threads. Every lookup ignores case, as IAM does
 * for service prefixes, action names and condition key names; results carry AWS's own casing. Lookups
 * never throw for unknown names: they answer empty, false or an empty list.
 */
public final class IamReference {

  private final LocalDate dataDate;
  private final String sourceDescription;
  private final Duration loadTime;
  private final Map<String, ServiceSlot> byPrefix;
  private final ServiceSlot[] ordered;
  private final Map<String, ConditionKeyInfo> keysByName;
  private final Map<String, List<KeyPattern>> patternsByPrefix;
  private final List<KeyPattern> patternsAnyPrefix;
  // Built on first use: most uses never match ARNs or list every action, so loading skips them.
  private volatile ArnIndex arnIndex;
  private volatile List<String> allActions;
  private volatile List<ServiceInfo> services;

  private IamReference(ReferenceFormat.Parsed parsed, long startNanos) {
    this.dataDate = parsed.date();
    this.sourceDescription = parsed.source();
    List<ReferenceFormat.ServiceBlock> blocks = parsed.services();

    Map<String, ServiceSlot> prefixes = new HashMap<>(blocks.size() * 2);
    ServiceSlot[] order = new ServiceSlot[blocks.size()];
    for (int i = 0; i < blocks.size(); i++) {
      ServiceSlot s = new ServiceSlot(blocks.get(i));
      order[i] = s;
      if (prefixes.put(s.lowerPrefix, s) != null) {
        throw new IllegalArgumentException("service `" + s.lowerPrefix + "` appears twice");
      }
    }
    // INVARIANT: `ordered` is sorted by prefix, and each service's actions by lower-cased name, so
    // expand() returns its results sorted without sorting them.
    Arrays.sort(order, Comparator.comparing((ServiceSlot s) -> s.lowerPrefix));
    this.ordered = order;
    this.byPrefix = Map.copyOf(prefixes);

    // Global keys first; then each key from the service that owns its prefix; then the rest.
    Map<String, ConditionKeyInfo> keys = new HashMap<>();
    for (ConditionKeyInfo g : parsed.globals()) {
      keys.putIfAbsent(lower(g.name()), g);
    }
    for (ReferenceFormat.ServiceBlock s : blocks) {
      for (ConditionKeyInfo k : s.keys()) {
        if (k.prefix().equals(lower(s.prefix))) {
          keys.putIfAbsent(lower(k.name()), k);
        }
      }
    }
    for (ReferenceFormat.ServiceBlock s : blocks) {
      for (ConditionKeyInfo k : s.keys()) {
        keys.putIfAbsent(lower(k.name()), k);
      }
    }
    this.keysByName = Map.copyOf(keys);
    Map<String, List<KeyPattern>> pats = new HashMap<>();
    List<KeyPattern> patsAny = new ArrayList<>();
    for (ConditionKeyInfo k : keysByName.values()) {
      if (!k.pattern()) {
        continue;
      }
      KeyPattern p = new KeyPattern(Template.parse(k.name(), Template.Slot.ANY, null, true), k);
      int colon = k.name().indexOf(':');
      String head = p.template.head();
      if (colon >= 0 && head.length() > colon) {
        pats.computeIfAbsent(head.substring(0, colon), x -> new ArrayList<>()).add(p);
      } else {
        patsAny.add(p);
      }
    }
    Map<String, List<KeyPattern>> sortedPats = new HashMap<>();
    pats.forEach((k, v) -> {
      v.sort(KeyPattern.ORDER);
      sortedPats.put(k, List.copyOf(v));
    });
    patsAny.sort(KeyPattern.ORDER);
    this.patternsByPrefix = Map.copyOf(sortedPats);
    this.patternsAnyPrefix = List.copyOf(patsAny);
    this.loadTime = Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static final class Bundled {
    static final IamReference INSTANCE;
    static final RuntimeException FAILURE;

    static {
      IamReference instance = null;
      RuntimeException failure = null;
      long t0 = System.nanoTime();
      try (InputStream in = IamReference.class.getResourceAsStream(ReferenceFormat.RESOURCE)) {
        if (in == null) {
          failure = new IllegalStateException("the bundled IAM reference data is missing from the classpath");
        } else {
          instance = new IamReference(ReferenceFormat.read(in), t0);
        }
      } catch (IOException e) {
        failure = new UncheckedIOException(e);
      } catch (RuntimeException e) {
        failure = e;
      }
      INSTANCE = instance;
      FAILURE = failure;
    }
  }

  /**
   * The reference data bundled with Keyward, read on the first call (once, whichever thread comes first)
   * and shared afterwards.
   *
   * @throws IllegalStateException when the resource is missing or damaged, which is a packaging error
   *     (a damaged action record shows only when its service is first used, as an
   *     IllegalArgumentException; the tests use every service)
   */
  public static IamReference bundled() {
    if (Bundled.FAILURE != null) {
      throw new IllegalStateException("cannot read the bundled IAM reference data", Bundled.FAILURE);
    }
    return Bundled.INSTANCE;
  }

  /** Reads reference data in the bundled resource's format from a gzip stream (for tests and tools). */
  static IamReference read(InputStream gzip) throws IOException {
    long t0 = System.nanoTime();
    return new IamReference(ReferenceFormat.read(gzip), t0);
  }

  /** The date of the AWS data, for example 2026-09-26. */
  public LocalDate dataDate() {
    return dataDate;
  }

  /** One line naming where the data comes from, its version and its licence. */
  public String sourceDescription() {
    return sourceDescription;
  }

  /**
   * How long reading and indexing the data took when this instance was created. A service's actions
   * are parsed on its first use (well under a millisecond for one service, some tens of milliseconds
   * for all), which this does not count.
   */
  public Duration loadTime() {
    return loadTime;
  }

  /** Every service, sorted by prefix. The first call parses every service's actions. */
  public List<ServiceInfo> services() {
    List<ServiceInfo> all = services;
    if (all == null) {
      List<ServiceInfo> list = new ArrayList<>(ordered.length);
      for (ServiceSlot s : ordered) {
        list.add(s.index().info);
      }
      all = List.copyOf(list);
      services = all; // NOTE: a benign race: two threads may build equal lists; either one is kept.
    }
    return all;
  }

  /** The number of actions over all services. */
  public int actionCount() {
    return allActions().size();
  }

  private List<String> allActions() {
    List<String> all = allActions;
    if (all == null) {
      List<String> list = new ArrayList<>();
      for (ServiceSlot s : ordered) {
        Collections.addAll(list, s.index().canonical);
      }
      all = Collections.unmodifiableList(list);
      allActions = all; // NOTE: a benign race, as in services()
    }
    return all;
  }

  public boolean isKnownService(String prefix) {
    return prefix != null && byPrefix.containsKey(lower(prefix));
  }

  public Optional<ServiceInfo> service(String prefix) {
    if (prefix == null) {
      return Optional.empty();
    }
    ServiceSlot s = byPrefix.get(lower(prefix));
    return s == null ? Optional.empty() : Optional.of(s.index().info);
  }

  /**
   * The action named {@code name} ({@code service:Action}, any case); empty when the service or the
   * action is unknown. Wildcards are not expanded here: see {@link #expand(String)}.
   */
  public Optional<ActionInfo> action(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String lc = lower(name);
    int colon = lc.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    ServiceSlot slot = byPrefix.get(lc.substring(0, colon));
    if (slot == null) {
      return Optional.empty();
    }
    ServiceIndex s = slot.index();
    int i = Arrays.binarySearch(s.lowerFull, lc);
    return i < 0 ? Optional.empty() : Optional.of(s.actions[i]);
  }

  public boolean isKnownAction(String name) {
    return action(name).isPresent();
  }

  /**
   * The canonical names of the actions that the IAM action pattern {@code pattern} matches: {@code *}
   * any run of characters, {@code ?} one character, case ignored, as in a policy's Action element.
   * {@code *} alone matches every action; the service part may hold wildcards too ({@code *:Get*}).
   * The list is sorted by service prefix, then by action name ignoring case; empty when nothing matches.
   */
  public List<String> expand(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      return List.of();
    }
    if (pattern.equals("*")) {
      return allActions();
    }
    String p = lower(pattern);
    List<String> out = new ArrayList<>();
    int colon = p.indexOf(':');
    if (colon < 0) {
      // NOTE: without a colon a wildcard may stand for the colon itself ("kms*crypt"); match full names.
      for (ServiceSlot slot : ordered) {
        ServiceIndex s = slot.index();
        for (int i = 0; i < s.lowerFull.length; i++) {
          if (Glob.matches(p, s.lowerFull[i])) {
            out.add(s.canonical[i]);
          }
        }
      }
      return Collections.unmodifiableList(out);
    }
    String svc = p.substring(0, colon);
    String act = p.substring(colon + 1);
    if (act.indexOf(':') >= 0) {
      return List.of(); // an action name never holds a colon
    }
    if (!Glob.hasWildcard(svc)) {
      ServiceSlot s = byPrefix.get(svc);
      if (s != null) {
        s.index().collect(act, out);
      }
    } else {
      for (ServiceSlot s : ordered) {
        if (Glob.matches(svc, s.lowerPrefix)) {
          s.index().collect(act, out);
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The condition key {@code key}, ignoring case. A name that no key has exactly is matched against the
   * key patterns: {@code aws:ResourceTag/Dept} gives {@code aws:ResourceTag/${TagKey}} and
   * {@code kms:EncryptionContext:Department} gives {@code kms:EncryptionContext:${EncryptionContextKey}}
   * (the most specific pattern wins). Empty when no key or pattern matches.
   */
  public Optional<ConditionKeyInfo> conditionKey(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.empty();
    }
    String lc = lower(key);
    ConditionKeyInfo exact = keysByName.get(lc);
    if (exact != null) {
      return Optional.of(exact);
    }
    int colon = lc.indexOf(':');
    if (colon > 0) {
      List<KeyPattern> ps = patternsByPrefix.get(lc.substring(0, colon));
      if (ps != null) {
        for (KeyPattern p : ps) {
          if (p.template.matches(lc)) {
            return Optional.of(p.key);
          }
        }
      }
    }
    for (KeyPattern p : patternsAnyPrefix) {
      if (p.template.matches(lc)) {
        return Optional.of(p.key);
      }
    }
    return Optional.empty();
  }

  /**
   * True when condition key {@code key} can apply to action {@code action}: a global key applies to every
   * known action; a service key applies when AWS lists it (or the pattern it matches) for the action, for
   * one of the resource types the action takes, or for that action on that type. False when the action or
   * the key is unknown.
   */
  public boolean isConditionKeyApplicable(String action, String key) {
    Optional<ActionInfo> a = action(action);
    Optional<ConditionKeyInfo> k = conditionKey(key);
    if (a.isEmpty() || k.isEmpty()) {
      return false;
    }
    if (k.get().global()) {
      return true;
    }
    String name = k.get().name();
    if (containsIgnoreCase(a.get().conditionKeys(), name)) {
      return true;
    }
    for (ResourceTypeUse u : a.get().resourceTypes()) {
      if (containsIgnoreCase(u.conditionKeys(), name) || containsIgnoreCase(u.type().conditionKeys(), name)) {
        return true;
      }
    }
    return false;
  }

  /** The resource types that action {@code action} takes, in AWS's order; empty when unknown or none. */
  public List<ResourceTypeInfo> resourceTypesOf(String action) {
    Optional<ActionInfo> a = action(action);
    if (a.isEmpty()) {
      return List.of();
    }
    List<ResourceTypeInfo> out = new ArrayList<>(a.get().resourceTypes().size());
    for (ResourceTypeUse u : a.get().resourceTypes()) {
      out.add(u.type());
    }
    return List.copyOf(out);
  }

  /**
   * The resource types whose ARN format matches {@code arn}. Placeholders match one segment of the
   * resource part (no {@code /} or {@code :}); only when no type matches that way, a format's final
   * placeholder after a separator may match the rest ({@code ${ObjectName}}, {@code ${RoleNameWithPath}}),
   * and then only the formats with the most literal text are kept. ARNs compare case-sensitively; IAM
   * wildcards in {@code arn} are plain characters that a placeholder matches. Sorted by specificity (most
   * literal text first), then by name; empty when {@code arn} is not an ARN or nothing matches. The types
   * of the service named in the ARN come first: other services' types for its ARNs are answered only when
   * none of its own match.
   */
  public List<ResourceTypeInfo> matchResourceType(String arn) {
    Optional<Arn> parsed = Arn.parse(arn);
    if (parsed.isEmpty()) {
      return List.of();
    }
    String service = parsed.get().service();
    ArnIndex index = arnIndex();
    List<ArnTemplate> own = new ArrayList<>();
    List<ArnTemplate> foreign = new ArrayList<>();
    for (List<ArnTemplate> list : List.of(index.byService.getOrDefault(service, List.of()), index.anyService)) {
      for (ArnTemplate t : list) {
        (t.type().service().equals(service) ? own : foreign).add(t);
      }
    }
    // NOTE: other services define types for this service's ARNs too (events and kinesis have a KMS key
    // type); they are consulted only when the service's own types match nothing.
    List<ResourceTypeInfo> out = match(own, parsed.get());
    return out.isEmpty() ? match(foreign, parsed.get()) : out;
  }

  private ArnIndex arnIndex() {
    ArnIndex index = arnIndex;
    if (index == null) {
      synchronized (this) {
        index = arnIndex;
        if (index == null) {
          index = new ArnIndex(ordered);
          arnIndex = index;
        }
      }
    }
    return index;
  }

  /** The compiled ARN formats of every resource type, by the service field of the format. */
  private static final class ArnIndex {
    final Map<String, List<ArnTemplate>> byService;
    final List<ArnTemplate> anyService;

    ArnIndex(ServiceSlot[] services) {
      Map<String, List<ArnTemplate>> arns = new HashMap<>();
      List<ArnTemplate> any = new ArrayList<>();
      for (ServiceSlot s : services) {
        for (ResourceTypeInfo t : s.block.types()) {
          ArnTemplate.compile(t).ifPresent(a -> {
            if (a.service() == null) {
              any.add(a);
            } else {
              arns.computeIfAbsent(a.service(), k -> new ArrayList<>()).add(a);
            }
          });
        }
      }
      Map<String, List<ArnTemplate>> frozen = new HashMap<>();
      arns.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
      this.byService = Map.copyOf(frozen);
      this.anyService = List.copyOf(any);
    }
  }

  private static List<ResourceTypeInfo> match(List<ArnTemplate> candidates, Arn arn) {
    List<ArnTemplate> strict = new ArrayList<>();
    List<ArnTemplate> lenient = new ArrayList<>();
    for (ArnTemplate t : candidates) {
      ArnTemplate.Fit fit = t.fit(arn);
      if (fit == ArnTemplate.Fit.STRICT) {
        strict.add(t);
      } else if (fit == ArnTemplate.Fit.LENIENT) {
        lenient.add(t);
      }
    }
    List<ArnTemplate> chosen = strict;
    if (strict.isEmpty() && !lenient.isEmpty()) {
      int best = lenient.stream().mapToInt(ArnTemplate::specificity).max().getAsInt();
      chosen = new ArrayList<>();
      for (ArnTemplate t : lenient) {
        if (t.specificity() == best) {
          chosen.add(t);
        }
      }
    }
    chosen.sort(Comparator.comparingInt(ArnTemplate::specificity).reversed()
        .thenComparing(t -> t.type().service())
        .thenComparing(t -> t.type().name()));
    List<ResourceTypeInfo> out = new ArrayList<>(chosen.size());
    for (ArnTemplate t : chosen) {
      out.add(t.type());
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "IamReference[" + dataDate + ", " + ordered.length + " services]";
  }

  private static boolean containsIgnoreCase(List<String> list, String s) {
    for (String x : list) {
      if (x.equalsIgnoreCase(s)) {
        return true;
      }
    }
    return false;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** A service whose actions are parsed on first use, once, under the slot's lock. */
  private static final class ServiceSlot {
    final ReferenceFormat.ServiceBlock block;
    final String lowerPrefix;
    private volatile ServiceIndex index;

    ServiceSlot(ReferenceFormat.ServiceBlock block) {
      this.block = block;
      this.lowerPrefix = lower(block.prefix);
    }

    ServiceIndex index() {
      ServiceIndex i = index;
      if (i == null) {
        synchronized (this) {
          i = index;
          if (i == null) {
            i = new ServiceIndex(new ServiceInfo(block.prefix, block.name, block.parseActions(),
                block.types(), block.keys()), lowerPrefix);
            index = i;
          }
        }
      }
      return i;
    }
  }

  /** A service's actions, with lower-cased full names sorted for binary search and prefix ranges. */
  private static final class ServiceIndex {
    final ServiceInfo info;
    final String lowerPrefix;
    final String[] lowerFull;
    final String[] canonical;
    final ActionInfo[] actions;

    ServiceIndex(ServiceInfo info, String lowerPrefix) {
      this.info = info;
      this.lowerPrefix = lowerPrefix;
      int n = info.actions().size();
      ActionInfo[] acts = info.actions().toArray(new ActionInfo[0]);
      String[] lowers = new String[n];
      for (int i = 0; i < n; i++) {
        lowers[i] = lower(acts[i].fullName());
      }
      // The resource is sorted already; sort only when it is not, so binary search stays right.
      boolean sorted = true;
      for (int i = 1; i < n && sorted; i++) {
        sorted = lowers[i - 1].compareTo(lowers[i]) < 0;
      }
      if (!sorted) {
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
          idx[i] = i;
        }
        String[] sortKeys = lowers;
        Arrays.sort(idx, Comparator.comparing(i -> sortKeys[i]));
        ActionInfo[] a2 = new ActionInfo[n];
        String[] l2 = new String[n];
        for (int i = 0; i < n; i++) {
          a2[i] = acts[idx[i]];
          l2[i] = lowers[idx[i]];
        }
        acts = a2;
        lowers = l2;
      }
      this.actions = acts;
      this.lowerFull = lowers;
      this.canonical = new String[n];
      for (int i = 0; i < n; i++) {
        canonical[i] = actions[i].fullName();
      }
    }

    /** Adds the canonical names of the actions whose lower-cased name matches {@code act}. */
    void collect(String act, List<String> out) {
      String head = Glob.literalPrefix(act);
      int skip = lowerPrefix.length() + 1;
      // INVARIANT: every name starts with "prefix:", so the names sort by their action part and the
      // pattern's literal head selects one contiguous range, found by binary search.
      int lo = 0;
      int hi = lowerFull.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (compareActionPart(lowerFull[mid], skip, head) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      // The common "Head*" needs no matching beyond the range itself.
      boolean headStar = act.length() == head.length() + 1 && act.charAt(head.length()) == '*';
      for (int i = lo; i < lowerFull.length && lowerFull[i].startsWith(head, skip); i++) {
        String name = lowerFull[i];
        if (headStar || (head.length() == act.length() ? name.length() == skip + head.length()
            : Glob.matches(act, head.length(), act.length(), name, skip + head.length(), name.length()))) {
          out.add(canonical[i]);
        }
      }
    }

    /** Compares {@code name} from {@code skip} on with {@code head}, as String.compareTo would. */
    private static int compareActionPart(String name, int skip, String head) {
      int n = Math.min(name.length() - skip, head.length());
      for (int i = 0; i < n; i++) {
        int d = name.charAt(skip + i) - head.charAt(i);
        if (d != 0) {
          return d;
        }
      }
      return (name.length() - skip) - head.length();
    }
  }

  private static final class KeyPattern {
    static final Comparator<KeyPattern> ORDER =
        Comparator.comparingInt((KeyPattern p) -> p.template.literalLength()).reversed()
            .thenComparing(p -> p.key.name());

    final Template template;
    final ConditionKeyInfo key;

    KeyPattern(Template template, ConditionKeyInfo key) {
      this.template = template;
      this.key = key;
    }
  }
}
