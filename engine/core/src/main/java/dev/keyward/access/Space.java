package dev.keyward.access;

import static dev.keyward.model.KmsOperationFacts.CROSS_ACCOUNT_ACTIONS;

import dev.keyward.condition.ConditionMatcher;
import dev.keyward.condition.ContextValues;
import dev.keyward.model.Arn;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Effect;
import dev.keyward.model.OperatorFamily;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.SetQualifier;
import dk.brics.automaton.Automaton;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The finite request space of an analysis: for every request variable (the caller, its organization, the
 * action, each context key that a rule reads) a list of representative values such that every possible
 * value behaves, under every rule of the analysed targets, like one of them. Built from the rules' own
 * constants: string patterns as automata (their regions), numbers, dates and IP ranges as interval
 * end points, booleans, and "absent". Conditions the space cannot represent exactly are "free": an Allow
 * treats them as true, a Deny as false (more access than exists, never less).
 */
final class Space {

  /** Keys the engine derives from the caller and the key; never free request variables. */
  static final Set<String> DERIVED = Set.of("aws:principalarn", "aws:principalaccount", "kms:calleraccount",
      "aws:principalorgid", "aws:principaltype", "aws:username", "aws:principalisawsservice",
      "aws:principalservicename", "aws:resourceaccount");

  static final String TAG_PREFIX = "aws:principaltag/";
  static final String EC_PREFIX = "kms:encryptioncontext:";
  /** Derived by AWS from the encryption context's keys; here: those of the EC keys a rule reads, plus extras. */
  static final String EC_KEYS = "kms:encryptioncontextkeys";
  private static final Pattern ACCOUNT_TOKEN = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
  private static final int REGION_CAP = 512;
  private static final int VALUE_CAP = 64;
  private static final int SUBSET_MAX_VALUES = 4;

  final KeyTarget first;
  final List<KeyTarget> targets;
  final List<Who> principals;
  final List<String> organizations;
  /** Per context key (lower-case): its representative values, {@code null} meaning absent. */
  final Map<String, List<String[]>> values;
  /** For each encryption-context key a rule reads (lower case): its name as a rule writes it. */
  final Map<String, String> ecNames = new TreeMap<>();
  /** Conditions modelled as unknown (true in an Allow, false in a Deny). */
  final Set<ConditionMatcher> free;
  final Set<String> literalAccounts = new TreeSet<>();
  final Set<String> literalArns = new TreeSet<>();
  final Set<String> literalServices = new TreeSet<>();
  final Set<String> literalOrgs = new TreeSet<>();
  /** Action classes: lower-case actions that every rule treats alike; the first is the representative. */
  final List<List<String>> actionClasses;
  final List<String> notes = new ArrayList<>();
  /** Per account that a target's world places in an organization: those organizations (the caller's is fixed). */
  private final Map<String, Set<String>> placed = new HashMap<>();
  /** Whether some target's world declares VPC endpoints: then {@code aws:SourceVpce} takes their ids. */
  private final boolean endpointKey;

  private Space(List<KeyTarget> targets, Zone zone) {
    this.targets = List.copyOf(targets);
    this.first = targets.get(0);
    Set<ConditionMatcher> freeSet = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Rule> rules = new ArrayList<>();
    boolean slr = false;
    boolean eps = false;
    for (KeyTarget t : targets) {
      rules.addAll(t.rules());
      Guards g = t.guards();
      rules.addAll(g.allRules());
      literalAccounts.addAll(g.accounts());
      slr |= g.restrictsByOrganization();
      eps |= !g.endpoints().isEmpty();
      for (String a : g.accounts()) {
        String o = g.placedOrganization(a);
        if (o != null) {
          placed.computeIfAbsent(a, x -> new TreeSet<>()).add(o);
        }
      }
    }
    this.endpointKey = eps;
    literalAccounts.add(first.account());
    literalAccounts.addAll(zone.accounts());
    literalOrgs.addAll(zone.organizations());
    Map<String, KeyInfo> keys = new TreeMap<>();
    for (Rule r : rules) {
      collectPrincipalLiterals(r.principal());
      for (ConditionMatcher m : r.conditions()) {
        boolean variable = m.readKeys().size() > 1;
        for (ConditionValue v : m.condition().values()) {
          Matcher am = ACCOUNT_TOKEN.matcher(v.text());
          while (am.find()) {
            literalAccounts.add(am.group());
          }
          if (v.text().contains("${") && m.condition().operator() != null
              && m.condition().operator().allowsPolicyVariables()) {
            variable = true; // policy variables and their literal specials: modelled as unknown
          }
        }
        if (m.problem() != null) {
          continue; // always ERROR: decided concretely
        }
        if (variable) {
          freeSet.add(m);
          continue;
        }
        keys.computeIfAbsent(m.key(), KeyInfo::new).add(m);
        if (m.key().startsWith(EC_PREFIX) && m.key().length() > EC_PREFIX.length()) {
          ecNames.putIfAbsent(m.key(), m.condition().key().substring(EC_PREFIX.length()));
        }
      }
    }
    if (eps) {
      // the ids of the declared endpoints are values of aws:SourceVpce of their own
      KeyInfo vpce = keys.computeIfAbsent("aws:sourcevpce", KeyInfo::new);
      for (KeyTarget t : targets) {
        for (String id : t.guards().endpoints().keySet()) {
          vpce.addLiteral(id);
        }
      }
    }
    // the caller's organization
    List<Automaton> orgLangs = new ArrayList<>();
    for (String o : zone.organizations()) {
      orgLangs.add(Automaton.makeString(o));
    }
    for (Set<String> os : placed.values()) {
      for (String o : os) {
        orgLangs.add(Automaton.makeString(o));
      }
    }
    // principal-derived keys become languages over the caller; the rest are request variables
    Map<String, List<String[]>> vals = new TreeMap<>();
    List<Automaton> awsLangs = new ArrayList<>();
    List<Automaton> serviceLangs = new ArrayList<>();
    String partition = first.partition();
    Automaton prefix = Automaton.makeString("arn:" + partition + ":iam::").concatenate(Patterns.DIGITS12);
    if (slr) {
      // service-linked roles are exempt from SCPs and RCPs: they are a part of the callers of their own
      awsLangs.add(prefix.concatenate(Automaton.makeString(":role/aws-service-role/")).concatenate(Patterns.any()));
      awsLangs.add(prefix.concatenate(Automaton.makeString(":role/"))
          .concatenate(Patterns.any().concatenate(Automaton.makeChar('/')).optional())
          .concatenate(Automaton.makeString("AWSServiceRoleFor")).concatenate(noSlash()));
    }
    for (KeyInfo k : keys.values()) {
      boolean principalKey = DERIVED.contains(k.key);
      if (k.key.equals("aws:principalorgid")) {
        for (ConditionMatcher m : k.matchers) {
          for (ConditionValue v : m.condition().values()) {
            if (v.text().indexOf('*') < 0 && v.text().indexOf('?') < 0) {
              literalOrgs.add(v.text());
            }
          }
        }
      }
      if (principalKey) {
        if (k.key.equals("aws:resourceaccount") || k.key.equals("aws:principalisawsservice")
            || k.key.equals("aws:principaltype")) {
          continue; // decided concretely; the forms below separate principal types and services
        }
        boolean stringy = k.families.stream().allMatch(f -> f == OperatorFamily.STRING
            || f == OperatorFamily.ARN || f == OperatorFamily.NULL);
        if (!stringy) {
          freeSet.addAll(k.matchers);
          notes.add("conditions on `" + k.key + "` with operators other than String, Arn or Null are not"
              + " modelled exactly");
          continue;
        }
        for (Automaton l : k.languages) {
          switch (k.key) {
            case "aws:principalarn" -> awsLangs.add(l);
            case "kms:calleraccount", "aws:principalaccount" -> {
              if (l.getSingleton() == null) {
                // a literal account is one of literalAccounts already (each has its own part of the domain)
                awsLangs.add(Automaton.makeString("arn:" + partition + ":iam::")
                    .concatenate(l.intersection(Patterns.DIGITS12)).concatenate(Automaton.makeChar(':'))
                    .concatenate(Patterns.any()));
              }
            }
            case "aws:username" -> awsLangs.add(prefix
                .concatenate(Automaton.makeString(":user/"))
                .concatenate(noSlash().concatenate(Automaton.makeChar('/')).repeat())
                .concatenate(l.intersection(noSlash())));
            case "aws:principalorgid" -> orgLangs.add(l);
            case "aws:principalservicename" -> serviceLangs.add(l);
            default -> { }
          }
        }
        continue;
      }
      List<String[]> v = k.representatives();
      if (v == null) {
        freeSet.addAll(k.matchers);
        notes.add("conditions on `" + k.key + "` are not modelled exactly (" + k.whyFree + ")");
        continue;
      }
      vals.put(k.key, v);
    }
    this.values = Collections.unmodifiableMap(vals);
    this.free = freeSet;
    // callers: the domain in disjoint parts, one per named account and form, plus every other account
    List<Automaton> domains = new ArrayList<>();
    for (Automaton acct : accountParts("arn:" + partition + ":iam::")) {
      for (Automaton form : FORMS) {
        domains.add(acct.concatenate(form));
      }
    }
    // federated user sessions (GetFederationToken): arn:P:sts::ACCOUNT:federated-user/NAME, by account part
    for (Automaton acct : accountParts("arn:" + partition + ":sts::")) {
      domains.add(acct.concatenate(FEDERATED_FORM));
    }
    List<Session> sessions = new ArrayList<>();
    for (Rule r : rules) {
      PrincipalElement pe = r.principal();
      if (pe == null) {
        continue;
      }
      for (PrincipalValue v : pe.values()) {
        if (v.type() == PrincipalType.AWS && !v.isWildcard()) {
          Arn a = Arn.parse(v.value()).orElse(null);
          if (a != null && a.resource().equals("root") && Arn.isAccountId(a.account())) {
            continue; // covered by the account languages
          }
          if (a != null && a.service().equals("sts") && a.resource().startsWith("assumed-role/")) {
            sessions.add(new Session(a));
            continue;
          }
          awsLangs.add(Automaton.makeString(v.value()));
        } else if (v.type() == PrincipalType.SERVICE) {
          serviceLangs.add(Automaton.makeString(v.value()));
        }
      }
    }
    List<String> reps = Patterns.representatives(domains, awsLangs, REGION_CAP);
    if (reps == null) {
      throw new IllegalStateException("too many distinct principal patterns to analyse (more than "
          + REGION_CAP + " regions)");
    }
    List<Who> who = new ArrayList<>();
    List<String> federatedReps = new ArrayList<>();
    List<Who> users = new ArrayList<>();
    for (String rep : reps) {
      String r = readable(rep, awsLangs);
      Who w = Who.ofIamArn(r);
      if (w == null) {
        if (Who.ofFederatedArn(r, null) != null) {
          federatedReps.add(r);
        }
        continue;
      }
      if (w.kind() == Who.Kind.USER) {
        users.add(w);
      }
      who.add(w);
      if (w.kind() == Who.Kind.ROLE) {
        who.add(Who.session(w, "session"));
      }
    }
    for (Session s : sessions) {
      Who w = s.who(partition);
      if (w != null) {
        who.add(w);
      }
    }
    // a federated user session acts for the user that made it: each with a user no policy names, and with each
    // user of its account (a key policy naming the user lets its federated users in through their session policy)
    for (String f : federatedReps) {
      Who fed = Who.ofFederatedArn(f, null);
      who.add(Who.federated(f, unnamedUser(partition, fed.account())));
      for (Who u : users) {
        if (u.account().equals(fed.account())) {
          who.add(Who.federated(f, u.userArn()));
        }
      }
    }
    List<String> svcs = Patterns.representatives(SERVICE_DOMAIN.clone(), serviceLangs, VALUE_CAP);
    if (svcs == null) {
      throw new IllegalStateException("too many distinct service principal patterns to analyse");
    }
    for (String s : svcs) {
      who.add(Who.service(s));
    }
    this.principals = List.copyOf(who);
    List<String> orgs = Patterns.representatives(ORG_DOMAIN.clone(), orgLangs, VALUE_CAP);
    if (orgs == null) {
      throw new IllegalStateException("too many distinct organization patterns to analyse");
    }
    List<String> orgList = new ArrayList<>();
    orgList.add(null);
    orgList.addAll(orgs);
    this.organizations = Collections.unmodifiableList(orgList);
    this.actionClasses = actionClasses(targets);
  }

  static Space build(List<KeyTarget> targets, Zone zone) {
    return new Space(targets, zone);
  }

  /**
   * The organizations a caller of {@code account} can be in: those a target's world places it in, or null
   * when no world places it (then any organization, or none).
   */
  Set<String> organizationsOf(String account) {
    return account == null ? null : placed.get(account);
  }

  /**
   * The representative with a readable name ({@code role/Example}) instead of the shortest one
   * ({@code role/+}) when that name lies in exactly the same languages (so in the same region).
   */
  private static String readable(String rep, List<Automaton> languages) {
    int fed = rep.indexOf(":federated-user/");
    int at = fed >= 0 ? fed + 10 : Math.max(rep.indexOf(":role/"), rep.indexOf(":user/"));
    if (at < 0) {
      return rep;
    }
    String head = rep.substring(0, at + 6);
    for (int i = 0; i < 8; i++) {
      String candidate = head + (i == 0 ? "Example" : "Example" + i);
      boolean same = true;
      for (Automaton l : languages) {
        if (l.run(candidate) != l.run(rep)) {
          same = false;
          break;
        }
      }
      if (same) {
        return candidate;
      }
    }
    return rep;
  }

  /** {@code prefix} followed by each named account, and by every other account. */
  private List<Automaton> accountParts(String prefix) {
    List<Automaton> parts = new ArrayList<>();
    for (String a : literalAccounts) {
      parts.add(Automaton.makeString(prefix + a));
    }
    parts.add(Automaton.makeString(prefix).concatenate(Patterns.DIGITS12
        .intersection(Automaton.makeStringUnion(literalAccounts.toArray(new String[0])).complement())));
    return parts;
  }

  /**
   * A user of {@code account} that no Principal value names (for a federated user, only the Principal element
   * can name its user: conditions on aws:PrincipalArn see the federated user's own ARN).
   */
  private String unnamedUser(String partition, String account) {
    for (int i = 0; ; i++) {
      String candidate = "arn:" + partition + ":iam::" + account + ":user/FederatingUser" + (i == 0 ? "" : i);
      if (!literalArns.contains(candidate)) {
        return candidate;
      }
    }
  }

  private record Session(Arn arn) {
    Who who(String partition) {
      String rest = arn.resource().substring("assumed-role/".length());
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1 || !Arn.isAccountId(arn.account())) {
        return null;
      }
      Who role = Who.ofIamArn("arn:" + partition + ":iam::" + arn.account() + ":role/" + rest.substring(0, slash));
      return role == null ? null : Who.session(role, rest.substring(slash + 1));
    }
  }

  private static final Automaton NAME_CHARS = Patterns.ranges("AZaz09", "+=,.@_-").repeat(1);
  private static final Automaton SERVICE_DOMAIN;
  private static final Automaton ORG_DOMAIN;
  /** The caller forms after the account: the root, a role, a user (names may have paths). */
  private static final Automaton[] FORMS;
  /** The form of a federated user session after its account: {@code :federated-user/NAME}. */
  private static final Automaton FEDERATED_FORM = Automaton.makeString(":federated-user/").concatenate(NAME_CHARS);
  static {
    Automaton name = NAME_CHARS.concatenate(Automaton.makeChar('/')).repeat().concatenate(NAME_CHARS);
    FORMS = new Automaton[] {Automaton.makeString(":root"),
        Automaton.makeString(":role/").concatenate(name), Automaton.makeString(":user/").concatenate(name)};
    for (Automaton f : FORMS) {
      f.minimize();
    }
    Automaton label = Patterns.ranges("az09", "-").repeat(1);
    Automaton svc = label.concatenate(Automaton.makeChar('.').concatenate(label).repeat())
        .concatenate(Automaton.makeString(".amazonaws.com"));
    svc.minimize();
    SERVICE_DOMAIN = svc;
    Automaton org = Automaton.makeString("o-").concatenate(Patterns.ranges("az09", "").repeat(10, 32));
    org.minimize();
    ORG_DOMAIN = org;
  }

  private static Automaton noSlash() {
    return Automaton.makeAnyChar().minus(Automaton.makeChar('/')).repeat();
  }

  private void collectPrincipalLiterals(PrincipalElement pe) {
    if (pe == null) {
      return;
    }
    for (PrincipalValue v : pe.values()) {
      if (v.type() == PrincipalType.SERVICE) {
        literalServices.add(v.value());
        continue;
      }
      if (v.type() != PrincipalType.AWS || v.isWildcard()) {
        continue;
      }
      Arn a = Arn.parse(v.value()).orElse(null);
      if (a != null && Arn.isAccountId(a.account())) {
        literalAccounts.add(a.account());
        if (!a.resource().equals("root")) {
          literalArns.add(v.value());
        }
      }
    }
  }

  /** Groups actions that every rule of every target treats alike (same rules, same cross-account rule). */
  private static List<List<String>> actionClasses(List<KeyTarget> targets) {
    Map<String, List<String>> bySignature = new LinkedHashMap<>();
    for (String a : new TreeSet<>(targets.get(0).actions().keySet())) {
      StringBuilder sig = new StringBuilder();
      sig.append(CROSS_ACCOUNT_ACTIONS.contains(a) ? 'x' : '-');
      for (KeyTarget t : targets) {
        for (Rule r : t.rules()) {
          sig.append(r.actions().contains(a) ? '1' : '0');
        }
        for (Rule r : t.guards().allRules()) {
          sig.append(r.actions().contains(a) ? '1' : '0');
        }
      }
      bySignature.computeIfAbsent(sig.toString(), s -> new ArrayList<>()).add(a);
    }
    return List.copyOf(bySignature.values());
  }

  // -------------------------------------------------------------------------------------------------
  // evaluating one cell

  /** The outcome of one target for one cell. */
  record Outcome(boolean allowed, List<Rule> allows, List<Rule> denies, boolean approximate) {}

  /** The context keys the engine derives for this caller and organization. */
  Map<String, String[]> derived(Who who, String org, KeyTarget t) {
    Map<String, String[]> d = new HashMap<>();
    d.put("aws:resourceaccount", new String[] {t.account()});
    Guards g = t.guards();
    d.putAll(g.resourceOrgKeys());
    if (who.kind() != Who.Kind.SERVICE) {
      String placedOrg = g.placedOrganization(who.account());
      if (placedOrg != null) {
        org = placedOrg;
      }
      String path = g.orgPath(who.account(), org);
      if (path != null) {
        d.put("aws:principalorgpaths", new String[] {path});
      }
    }
    if (who.kind() == Who.Kind.SERVICE) {
      d.put("aws:principalisawsservice", new String[] {"true"});
      d.put("aws:principalservicename", new String[] {who.service()});
      return d;
    }
    d.put("aws:principalarn", new String[] {who.principalArn()});
    d.put("aws:principalaccount", new String[] {who.account()});
    d.put("kms:calleraccount", new String[] {who.account()});
    d.put("aws:principalisawsservice", new String[] {"false"});
    d.put("aws:principaltype", new String[] {who.principalType()});
    if (org != null) {
      d.put("aws:principalorgid", new String[] {org});
    }
    if (who.kind() == Who.Kind.USER) {
      d.put("aws:username", new String[] {who.userArn().substring(who.userArn().lastIndexOf('/') + 1)});
    }
    return d;
  }

  /** Whether the rule's principal, action and resource cover this caller and action. */
  static boolean applies(Rule r, Who who, String action, boolean optimistic) {
    if (!r.actions().contains(action)) {
      return false;
    }
    if (r.problem() != null) {
      return r.effect() == Effect.DENY;
    }
    return (optimistic ? r.coversKey() : r.pessimisticCovers()) && principalMatches(r.principal(), r.effect(), who);
  }

  /** Whether a Principal / NotPrincipal element matches the caller (as the authorizer matches it). */
  static boolean principalMatches(PrincipalElement pe, Effect effect, Who c) {
    if (pe == null) {
      return effect == Effect.DENY;
    }
    if (!pe.negated()) {
      if (pe.anyone()) {
        return true;
      }
      for (PrincipalValue v : pe.values()) {
        if (valueMatches(v, c)) {
          return true;
        }
      }
      return false;
    }
    if (effect == Effect.DENY) {
      // Deny + NotPrincipal spares the caller only when all its identities are listed
      if (c.kind() == Who.Kind.SERVICE) {
        for (PrincipalValue v : pe.values()) {
          if (v.type() == PrincipalType.SERVICE && v.value().equals(c.service())) {
            return false;
          }
        }
        return !pe.anyone();
      }
      boolean all = listed(pe, c.accountRoot())
          && (c.roleArn() == null || listed(pe, c.roleArn()))
          && (c.sessionArn() == null || listed(pe, c.sessionArn()))
          && (c.userArn() == null || listed(pe, c.userArn()));
      return !all;
    }
    // Allow + NotPrincipal excludes the caller as soon as any identity is listed
    if (pe.anyone()) {
      return false;
    }
    for (PrincipalValue v : pe.values()) {
      if (v.isWildcard() && v.type() == PrincipalType.AWS) {
        return false;
      }
      if (v.type() == PrincipalType.SERVICE && c.kind() == Who.Kind.SERVICE && v.value().equals(c.service())) {
        return false;
      }
    }
    if (c.kind() == Who.Kind.SERVICE) {
      return true;
    }
    return !(listed(pe, c.accountRoot()) || (c.roleArn() != null && listed(pe, c.roleArn()))
        || (c.sessionArn() != null && listed(pe, c.sessionArn()))
        || (c.userArn() != null && listed(pe, c.userArn())));
  }

  private static boolean listed(PrincipalElement pe, String arn) {
    for (PrincipalValue v : pe.values()) {
      if (v.type() == PrincipalType.AWS && (v.isWildcard() || v.value().equals(arn))) {
        return true;
      }
    }
    return pe.anyone();
  }

  private static boolean valueMatches(PrincipalValue v, Who c) {
    if (v.type() == PrincipalType.SERVICE) {
      return c.kind() == Who.Kind.SERVICE && v.value().equals(c.service());
    }
    if (v.type() != PrincipalType.AWS || c.kind() == Who.Kind.SERVICE) {
      return false;
    }
    String val = v.value();
    return val.equals("*") || val.equals(c.accountRoot()) || val.equals(c.roleArn())
        || val.equals(c.sessionArn()) || val.equals(c.userArn()) || val.equals(c.federatedBy());
  }

  /**
   * Decides one cell for one target, assuming the caller's own IAM policies allow (they are unknown).
   * {@code optimistic}: conditions modelled as unknown are read so as to give more access (an Allow's
   * true, a Deny's false); otherwise so as to give less (for the old policy of a diff).
   * The rules given must be the target's rules that {@link #applies} to this caller and action.
   */
  Outcome decide(KeyTarget t, List<Rule> applicable, Who who, String action, ContextValues ctx,
      boolean optimistic) {
    return decide(t, applicable, Guards.Applied.NONE, who, action, ctx, optimistic);
  }

  /**
   * Like {@link #decide(KeyTarget, List, Who, String, ContextValues, boolean)}, with the world's guards
   * that apply to this caller and action: their Denies deny, every SCP level must allow, and the policy of
   * the VPC endpoint the cell's {@code aws:SourceVpce} names must allow.
   */
  Outcome decide(KeyTarget t, List<Rule> applicable, Guards.Applied guards, Who who, String action,
      ContextValues given, boolean optimistic) {
    if (who.kind() != Who.Kind.SERVICE && !who.account().equals(t.account())
        && !CROSS_ACCOUNT_ACTIONS.contains(action)) {
      return new Outcome(false, List.of(), List.of(), false);
    }
    Guards.Endpoint endpoint = endpoint(t, given);
    ContextValues ctx = endpoint == null || endpoint.vpc() == null ? given
        : key -> key.equals("aws:sourcevpc") ? new String[] {endpoint.vpc()} : given.get(key);
    List<Rule> allows = new ArrayList<>(2);
    List<Rule> denies = new ArrayList<>(0);
    boolean approximate = false;
    if (!guards.isEmpty()) {
      List<Rule> guardDenies = new ArrayList<>(guards.denies());
      if (endpoint != null && guards.endpointDenies().containsKey(endpoint.id())) {
        guardDenies.addAll(guards.endpointDenies().get(endpoint.id()));
      }
      boolean[] usedFree = new boolean[1];
      for (Rule r : guardDenies) {
        usedFree[0] = false;
        int v = r.problem() != null ? ConditionMatcher.ERROR : conditions(r, ctx, true, optimistic, usedFree);
        if (v != ConditionMatcher.FALSE) {
          denies.add(r);
        } else if (usedFree[0]) {
          approximate = true;
        }
      }
      List<List<Rule>> mustAllow = new ArrayList<>(guards.levels());
      if (endpoint != null && guards.endpointAllows().containsKey(endpoint.id())) {
        mustAllow.add(guards.endpointAllows().get(endpoint.id()));
      }
      for (List<Rule> level : mustAllow) {
        boolean any = false;
        for (Rule r : level) {
          usedFree[0] = false;
          if (conditions(r, ctx, false, optimistic, usedFree) == ConditionMatcher.TRUE) {
            any = true;
            approximate |= usedFree[0] || r.approximate();
            break;
          }
        }
        if (!any) {
          return new Outcome(false, List.of(), denies, false);
        }
      }
    }
    for (Rule r : applicable) {
      boolean deny = r.effect() == Effect.DENY;
      if (r.problem() != null) {
        if (deny) {
          denies.add(r);
        }
        continue;
      }
      int v = ConditionMatcher.TRUE;
      boolean usedFree = false;
      for (ConditionMatcher m : r.conditions()) {
        int c;
        if (free.contains(m)) {
          usedFree = true;
          // optimistic (the analysed or new policy): more access; pessimistic (the old policy of a diff): less
          c = deny == optimistic ? ConditionMatcher.FALSE : ConditionMatcher.TRUE;
        } else {
          c = m.evaluate(ctx);
        }
        if (c == ConditionMatcher.FALSE) {
          v = ConditionMatcher.FALSE;
          break;
        }
        if (c == ConditionMatcher.ERROR) {
          v = ConditionMatcher.ERROR;
        }
      }
      if (deny) {
        if (v != ConditionMatcher.FALSE) {
          denies.add(r);
        } else if (usedFree) {
          approximate = true;
        }
      } else if (v == ConditionMatcher.TRUE) {
        allows.add(r);
        approximate |= usedFree || r.approximate();
      }
    }
    boolean allowed = !allows.isEmpty() && denies.isEmpty();
    return new Outcome(allowed, allows, denies, allowed && approximate);
  }

  /** The declared VPC endpoint the cell's single aws:SourceVpce names, or null. */
  private static Guards.Endpoint endpoint(KeyTarget t, ContextValues ctx) {
    Map<String, Guards.Endpoint> eps = t.guards().endpoints();
    if (eps.isEmpty()) {
      return null;
    }
    String[] v = ctx.get("aws:sourcevpce");
    return v == null || v.length != 1 ? null : eps.get(v[0]);
  }

  /** The truth of a rule's conditions, reading free ones so as to give more (optimistic) or less access. */
  private int conditions(Rule r, ContextValues ctx, boolean deny, boolean optimistic, boolean[] usedFree) {
    int v = ConditionMatcher.TRUE;
    for (ConditionMatcher m : r.conditions()) {
      int c;
      if (free.contains(m)) {
        usedFree[0] = true;
        c = deny == optimistic ? ConditionMatcher.FALSE : ConditionMatcher.TRUE;
      } else {
        c = m.evaluate(ctx);
      }
      if (c == ConditionMatcher.FALSE) {
        return ConditionMatcher.FALSE;
      }
      if (c == ConditionMatcher.ERROR) {
        v = ConditionMatcher.ERROR;
      }
    }
    return v;
  }

  /** The context keys read by these rules' non-free conditions that are request variables. */
  List<String> relevantKeys(List<Rule> rules) {
    Set<String> ks = new TreeSet<>();
    for (Rule r : rules) {
      for (ConditionMatcher m : r.conditions()) {
        if (!free.contains(m) && values.containsKey(m.key())) {
          ks.add(m.key());
        }
      }
    }
    if (endpointKey && values.containsKey("aws:sourcevpce")) {
      ks.add("aws:sourcevpce");
    }
    if (ks.contains(EC_KEYS)) {
      // kms:EncryptionContextKeys is derived from the encryption-context pairs the request has
      for (String k : values.keySet()) {
        if (k.startsWith(EC_PREFIX)) {
          ks.add(k);
        }
      }
    }
    return new ArrayList<>(ks);
  }

  /** The representative values of a context key for this caller (roots and services carry no tags). */
  List<String[]> valuesFor(String key, Who who) {
    if (key.startsWith(TAG_PREFIX) && (who.kind() == Who.Kind.ROOT || who.kind() == Who.Kind.SERVICE)) {
      return Collections.singletonList(null);
    }
    return values.get(key);
  }

  // -------------------------------------------------------------------------------------------------
  // per-key representatives

  /** Everything the rules say about one request-context key. */
  private static final class KeyInfo {
    final String key;
    final Set<OperatorFamily> families = new LinkedHashSet<>();
    final List<ConditionMatcher> matchers = new ArrayList<>();
    final List<Automaton> languages = new ArrayList<>();
    final Set<BigDecimal> numbers = new TreeSet<>();
    final Set<Long> dates = new TreeSet<>();
    final List<BigInteger[]> ranges = new ArrayList<>();
    final Set<String> binaries = new TreeSet<>();
    boolean multi;
    String whyFree = "";

    KeyInfo(String key) {
      this.key = key;
    }

    /** A value of the key that no rule names but that the world gives a meaning (a declared endpoint id). */
    void addLiteral(String value) {
      families.add(OperatorFamily.STRING);
      languages.add(Patterns.literal(value, false));
    }

    void add(ConditionMatcher m) {
      matchers.add(m);
      ConditionOperator op = m.condition().operator();
      families.add(op.family());
      if (m.condition().qualifier() != SetQualifier.NONE || key.equals(EC_KEYS)) {
        multi = true;
      }
      for (ConditionValue cv : m.condition().values()) {
        String v = cv.text();
        switch (op.family()) {
          case STRING -> {
            boolean like = op == ConditionOperator.STRING_LIKE || op == ConditionOperator.STRING_NOT_LIKE;
            boolean ic = op == ConditionOperator.STRING_EQUALS_IGNORE_CASE
                || op == ConditionOperator.STRING_NOT_EQUALS_IGNORE_CASE;
            languages.add(like ? Patterns.glob(v, false, (char) 0) : Patterns.literal(v, ic));
          }
          case ARN -> languages.add(Patterns.arnGlob(v));
          case NUMERIC -> {
            try {
              numbers.add(new BigDecimal(v.trim()));
            } catch (NumberFormatException e) {
              // the matcher reports it; the condition is always ERROR
            }
          }
          case DATE -> {
            Long d = ConditionMatcher.parseDate(v);
            if (d != null) {
              dates.add(d);
            }
          }
          case IP_ADDRESS -> {
            BigInteger[] r = cidr(v);
            if (r != null) {
              ranges.add(r);
            }
          }
          case BINARY -> binaries.add(v.trim());
          default -> { }
        }
      }
    }

    /** Single values (or sets of values for keys used with a set qualifier), absent first; null if free. */
    List<String[]> representatives() {
      Set<OperatorFamily> fs = new LinkedHashSet<>(families);
      fs.remove(OperatorFamily.NULL);
      if (fs.contains(OperatorFamily.ARN)) {
        fs.remove(OperatorFamily.ARN);
        fs.add(OperatorFamily.STRING);
      }
      if (fs.size() > 1) {
        whyFree = "operators of different families";
        return null;
      }
      List<String> singles = new ArrayList<>();
      OperatorFamily f = fs.isEmpty() ? OperatorFamily.NULL : fs.iterator().next();
      switch (f) {
        case STRING -> {
          List<String> r = Patterns.representatives(Patterns.PRINTABLE, languages, VALUE_CAP);
          if (r == null) {
            whyFree = "too many distinct patterns";
            return null;
          }
          singles.addAll(r);
        }
        case NUMERIC -> {
          List<BigDecimal> ns = new ArrayList<>(numbers);
          for (int i = 0; i < ns.size(); i++) {
            if (i == 0) {
              singles.add(ns.get(0).subtract(BigDecimal.ONE).toPlainString());
            }
            singles.add(ns.get(i).toPlainString());
            if (i + 1 < ns.size()) {
              singles.add(ns.get(i).add(ns.get(i + 1)).divide(BigDecimal.valueOf(2)).toPlainString());
            } else {
              singles.add(ns.get(i).add(BigDecimal.ONE).toPlainString());
            }
          }
        }
        case DATE -> {
          List<Long> ds = new ArrayList<>(dates);
          Set<Long> points = new TreeSet<>();
          for (int i = 0; i < ds.size(); i++) {
            points.add(ds.get(i) - 1);
            points.add(ds.get(i));
            points.add(ds.get(i) + 1);
          }
          for (long p : points) {
            singles.add(Instant.ofEpochMilli(p).toString());
          }
        }
        case BOOL -> {
          singles.add("true");
          singles.add("false");
        }
        case IP_ADDRESS -> {
          Set<String> ips = new LinkedHashSet<>();
          for (BigInteger[] r : ranges) {
            int bytes = r[2].intValue();
            BigInteger max = BigInteger.ONE.shiftLeft(bytes * 8).subtract(BigInteger.ONE);
            for (BigInteger p : new BigInteger[] {r[0].subtract(BigInteger.ONE), r[0], r[1],
                r[1].add(BigInteger.ONE)}) {
              if (p.signum() >= 0 && p.compareTo(max) <= 0) {
                ips.add(format(p, bytes));
              }
            }
          }
          ips.add("192.0.2.1");
          ips.add("2001:db8::1");
          singles.addAll(ips);
        }
        case BINARY -> {
          singles.addAll(binaries);
          singles.add(binaries.contains("AA==") ? "AQ==" : "AA==");
        }
        default -> singles.add("x");
      }
      List<String[]> out = new ArrayList<>();
      out.add(null);
      if (!multi) {
        for (String s : singles) {
          out.add(new String[] {s});
        }
        return out;
      }
      if (singles.size() > SUBSET_MAX_VALUES) {
        whyFree = "a multivalued key with more than " + SUBSET_MAX_VALUES + " distinct kinds of values";
        return null;
      }
      int n = singles.size();
      for (int mask = 1; mask < (1 << n); mask++) {
        List<String> set = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if ((mask & (1 << i)) != 0) {
            set.add(singles.get(i));
          }
        }
        out.add(set.toArray(new String[0]));
      }
      return out;
    }
  }

  /** [first, last, bytes] of an IP address or CIDR block; null when it does not parse. */
  static BigInteger[] cidr(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    if (!addr.matches("[0-9.]+") && !(addr.contains(":") && addr.matches("[0-9a-fA-F:.]+"))) {
      return null; // never a host name lookup
    }
    byte[] b;
    try {
      b = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
    int bits = b.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (prefix < 0 || prefix > bits) {
        return null;
      }
    }
    BigInteger v = new BigInteger(1, b);
    BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
    BigInteger lo = v.andNot(hostMask);
    return new BigInteger[] {lo, lo.or(hostMask), BigInteger.valueOf(b.length)};
  }

  private static String format(BigInteger v, int bytes) {
    byte[] raw = v.toByteArray();
    byte[] b = new byte[bytes];
    int copy = Math.min(raw.length, bytes);
    System.arraycopy(raw, raw.length - copy, b, bytes - copy, copy);
    try {
      String s = InetAddress.getByAddress(b).getHostAddress();
      return s;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
