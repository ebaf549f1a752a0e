package dev.keyward.analysis;

import dev.keyward.model.Condition;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Statement;
import dev.keyward.world.Grant;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import dev.keyward.world.VpcEndpoint;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Which principals of a world the authorizer cannot tell apart on a key, so that an analysis over every
 * principal asks about one of them and gives the others the same answer, with the names of their own
 * identity policies in place of the one asked about.
 *
 * <p>What the authorizer reads of a role or user when it decides a request on a KMS key: its ARN (to match
 * the Principal elements of the key policy, of VPC endpoint policies and of bucket policies, and a grant's
 * grantee or retiring principal, each by the exact ARN), its account and the account's place in the
 * organization (SCPs, RCPs, {@code aws:PrincipalAccount}, {@code aws:PrincipalOrgID},
 * {@code aws:PrincipalOrgPaths}, {@code kms:CallerAccount}), whether it is a role or a user
 * ({@code aws:PrincipalType}), its path and name where they make it a service-linked role (which SCPs and
 * RCPs do not restrict), its tags ({@code aws:PrincipalTag/*}), its identity policies and its permissions
 * boundary, and its ARN and name as condition values ({@code aws:PrincipalArn}, {@code aws:username}) and
 * policy variables ({@code ${aws:username}}). Two principals are given the same answer on a key only when
 * every one of these is the same or cannot matter:
 *
 * <ul>
 *   <li>same account, same kind (role or user), same path, same service-linked standing, same tags, and
 *       identity policies and boundary equal statement by statement, in the same order (only their names and
 *       places in the files differ);
 *   <li>no policy the decision can read (their identity policies and boundary, the key policy and grants,
 *       every SCP, RCP, VPC endpoint policy and bucket policy of the world) has a policy variable or a
 *       condition on a key that names the caller ({@code aws:PrincipalArn}, {@code aws:userid},
 *       {@code aws:username}, {@code aws:SourceIdentity}, {@code aws:RoleSessionName},
 *       {@code aws:FederatedProvider}); when an SCP, RCP or other policy outside keys and principals has one,
 *       no answers are shared in the world at all;
 *   <li>neither principal's ARN, nor its name after a slash (as a role ARN without its path or a session
 *       ARN would write it), is written anywhere in the key policy or the key's grants (else it is asked
 *       about alone on that key), nor anywhere in the world outside keys and identity policies (else it is
 *       asked about alone on every key).
 * </ul>
 *
 * <p>The tests compare every shared answer with the answer asked one by one, on the example worlds, a
 * generated world of 5,000 principals and random worlds that name principals, tag them, give them paths,
 * boundaries and conditions on their names.
 */
public final class SameAnswers {

  /** Condition keys whose value is the caller's ARN or name (or that say who in a session calls). */
  private static final List<String> NAME_MARKERS = List.of("${", "aws:principalarn", "aws:userid", "aws:username",
      "aws:sourceidentity", "aws:rolesessionname", "aws:federatedprovider");

  private final World world;
  /** Per principal, what must be equal for two principals to share answers; null when it is asked alone. */
  private final String[] profile;
  /** Per principal, its ARN in lower case and the part from its last slash, as {@link #written} looks for them. */
  private final String[] lowerArn;
  private final String[] lowerName;

  private SameAnswers(World world, boolean share) {
    this.world = world;
    this.profile = new String[world.principals().size()];
    this.lowerArn = new String[profile.length];
    this.lowerName = new String[profile.length];
    if (!share) {
      return;
    }
    for (int i = 0; i < profile.length; i++) {
      lowerArn[i] = world.principals().get(i).arn().toLowerCase(Locale.ROOT);
      lowerName[i] = lowerArn[i].substring(Math.max(0, lowerArn[i].lastIndexOf('/')));
    }
    String outside = outsideText(world);
    if (readsName(outside)) {
      return;
    }
    Set<String> reservedNames = reservedNames(world);
    for (int i = 0; i < profile.length; i++) {
      IamPrincipal p = world.principals().get(i);
      if (written(outside, i)) {
        continue;
      }
      profile[i] = profileOf(p, reservedNames);
    }
  }

  /** For the principals of {@code world}. */
  public static SameAnswers of(World world) {
    return new SameAnswers(world, true);
  }

  /** Shares nothing: every principal is asked about alone (to compare with {@link #of}). */
  public static SameAnswers none(World world) {
    return new SameAnswers(world, false);
  }

  /**
   * The principals (indexes into the world's principals) among {@code candidates} that share their answers
   * on {@code key}: groups in the order of their first member, each in the order of {@code candidates}; the
   * first of a group is the one to ask about.
   */
  public List<int[]> groups(KmsKey key, int[] candidates) {
    String text = keyText(key);
    boolean alone = readsName(text);
    Map<String, List<Integer>> byProfile = new LinkedHashMap<>();
    List<int[]> out = new ArrayList<>();
    List<Object> order = new ArrayList<>();
    for (int c : candidates) {
      String prof = profile[c];
      if (alone || prof == null || written(text, c)) {
        order.add(new int[] {c});
        continue;
      }
      List<Integer> g = byProfile.get(prof);
      if (g == null) {
        g = new ArrayList<>();
        byProfile.put(prof, g);
        order.add(g);
      }
      g.add(c);
    }
    for (Object o : order) {
      if (o instanceof int[] single) {
        out.add(single);
      } else {
        @SuppressWarnings("unchecked")
        List<Integer> g = (List<Integer>) o;
        out.add(g.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    return out;
  }

  /**
   * How the reasons of an answer about principal {@code asked} name policies, turned into how they name them
   * for {@code member} of the same group: the names of {@code asked}'s identity policies and boundary become
   * those of {@code member}'s at the same place; every other name stays.
   */
  public UnaryOperator<String> renaming(int asked, int member) {
    if (asked == member) {
      return UnaryOperator.identity();
    }
    IamPrincipal a = world.principals().get(asked);
    IamPrincipal m = world.principals().get(member);
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < a.policies().size(); i++) {
      names.put(a.policies().get(i).name(), m.policies().get(i).name());
    }
    if (a.boundary() != null) {
      names.put(a.boundary().name(), m.boundary().name());
    }
    return n -> names.getOrDefault(n, n);
  }

  /**
   * True when lower-cased {@code text} has the principal's ARN or its name after a slash (as a role ARN
   * without the path, or a session of the role, would write it): then it may be named there.
   */
  private boolean written(String text, int principal) {
    return text.contains(lowerArn[principal]) || text.contains(lowerName[principal]);
  }

  private static boolean readsName(String lowerText) {
    for (String m : NAME_MARKERS) {
      if (lowerText.contains(m)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The profile of a principal, or null when it must be asked about alone: its policies read its name, or
   * their names are not all different from each other and from every policy outside identity policies.
   */
  private static String profileOf(IamPrincipal p, Set<String> reservedNames) {
    if (!p.isRole() && !p.isUser()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    Set<String> names = new HashSet<>();
    for (PolicyDocument d : p.policies()) {
      if (!names.add(d.name()) || reservedNames.contains(d.name())) {
        return null;
      }
      append(b.append("\u0001policy "), d);
    }
    if (p.boundary() != null) {
      if (!names.add(p.boundary().name()) || reservedNames.contains(p.boundary().name())) {
        return null;
      }
      append(b.append("\u0001boundary "), p.boundary());
    }
    if (readsName(b.toString().toLowerCase(Locale.ROOT))) {
      return null;
    }
    String arn = p.arn();
    int slash = arn.lastIndexOf('/');
    String name = arn.substring(slash + 1);
    b.append("\u0001account ").append(p.account())
        .append("\u0001kind ").append(p.isRole() ? "role" : "user")
        // the ARN up to the name: partition, account, kind and path
        .append("\u0001path ").append(arn, 0, slash + 1)
        .append("\u0001service-linked ").append(name.startsWith("AWSServiceRoleFor"))
        .append("\u0001tags ").append(new TreeMap<>(p.tags()));
    return b.toString();
  }

  /** The names of the policies that are not identity policies or boundaries. */
  private static Set<String> reservedNames(World world) {
    Set<String> out = new HashSet<>();
    for (PolicyDocument d : outsidePolicies(world)) {
      out.add(d.name());
    }
    for (KmsKey k : world.keys()) {
      out.add(k.policy().name());
    }
    return out;
  }

  /** Everything a key's decisions read of the key policy and grants, lower-cased. */
  private static String keyText(KmsKey key) {
    StringBuilder b = new StringBuilder();
    append(b, key.policy());
    for (Grant g : key.grants()) {
      b.append("\u0001grant ").append(g);
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }

  /** Everything of the world outside keys and principals that a decision may read, lower-cased. */
  private static String outsideText(World world) {
    StringBuilder b = new StringBuilder();
    for (PolicyDocument d : outsidePolicies(world)) {
      append(b, d);
    }
    b.append("\u0001identities ").append(world.identities());
    b.append("\u0001images ").append(world.images());
    for (var bucket : world.buckets()) {
      b.append("\u0001bucket ").append(bucket);
    }
    for (VpcEndpoint e : world.vpcEndpoints()) {
      b.append("\u0001endpoint ").append(e.id()).append(' ').append(e.vpc()).append(' ').append(e.account());
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }

  private static List<PolicyDocument> outsidePolicies(World world) {
    List<PolicyDocument> out = new ArrayList<>(world.organizationPolicies());
    for (VpcEndpoint e : world.vpcEndpoints()) {
      if (e.policy() != null) {
        out.add(e.policy());
      }
    }
    for (var bucket : world.buckets()) {
      if (bucket.policy() != null) {
        out.add(bucket.policy());
      }
    }
    return out;
  }

  /** A policy's content, without its name and the places of its parts in their files. */
  private static void append(StringBuilder b, PolicyDocument d) {
    b.append(d.type()).append(' ').append(d.version()).append(' ').append(d.id());
    for (Statement s : d.statements()) {
      b.append("\u0002").append(s.index()).append(' ').append(s.sid()).append(' ').append(s.effect());
      if (s.principal() != null) {
        b.append("\u0003principal ").append(s.principal().negated()).append(' ').append(s.principal().anyone());
        for (PrincipalValue v : s.principal().values()) {
          b.append("\u0004").append(v.type()).append(' ').append(v.value()).append(' ').append(v.written());
        }
      }
      if (s.action() != null) {
        b.append("\u0003action ").append(s.action().negated());
        for (Located l : s.action().patterns()) {
          b.append("\u0004").append(l.value());
        }
      }
      if (s.resource() != null) {
        b.append("\u0003resource ").append(s.resource().negated());
        for (Located l : s.resource().patterns()) {
          b.append("\u0004").append(l.value());
        }
      }
      for (Condition c : s.conditions()) {
        b.append("\u0003condition ").append(c.operatorText()).append(' ').append(c.operator()).append(' ')
            .append(c.qualifier()).append(' ').append(c.ifExists()).append(' ').append(c.key());
        for (ConditionValue v : c.values()) {
          b.append("\u0004").append(v.kind()).append(' ').append(v.text());
        }
      }
    }
  }
}
