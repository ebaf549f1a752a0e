package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decodes organizations (their units, accounts, SCPs and RCPs) and accounts outside them.
 */
final class OrganizationDecoder extends WorldReading {

  private static final Set<String> ORGANIZATION = ordered("id", "rootId", "managementAccount", "scps", "rcps",
      "accounts", "units");
  private static final Set<String> UNIT = ordered("id", "name", "scps", "rcps", "accounts", "units");
  private static final Set<String> ACCOUNT = ordered("id", "scps", "rcps");
  private static final Pattern ROOT_ID = Pattern.compile("r-[0-9a-z]{4,32}");
  private static final Pattern OU_ID = Pattern.compile("ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}");
  /** "OU maximum nesting in a root: five levels of OUs deep under a root" (Organizations quotas). */
  private static final int MAX_OU_DEPTH = 5;
  private static final Pattern ORG_ID = Pattern.compile("o-[a-z0-9]{10,32}");

  private final PolicyDecoder policyDecoder;

  OrganizationDecoder(WorldReading from, PolicyDecoder policyDecoder) {
    super(from);
    this.policyDecoder = policyDecoder;
  }

  Organization organization(Node n) {
    Node.ObjectNode o = object(n, "an organization");
    if (o == null) {
      return null;
    }
    checkFields(o, ORGANIZATION, "an organization");
    String id = requiredString(o, "id", "an organization");
    if (id != null && !ORG_ID.matcher(id).matches()) {
      error("world.invalid-org-id", "organization id `" + id + "` must look like `o-` followed by 10 to 32"
          + " lowercase letters or digits", o.get("id").source());
    }
    String management = accountId(o.get("managementAccount"));
    List<String> members = new ArrayList<>();
    Map<String, SourceRef> seen = new HashMap<>();
    for (Node m : items(o.get("accounts"), "accounts")) {
      String a = accountId(m);
      if (a != null) {
        SourceRef first = seen.putIfAbsent(a, m.source());
        if (first != null) {
          error("world.duplicate-account", "account `" + a + "` is listed twice; first at line "
              + first.line(), m.source());
        } else {
          members.add(a);
        }
      }
    }
    String rootId = string(o.get("rootId"), "rootId");
    if (rootId != null && !ROOT_ID.matcher(rootId).matches()) {
      error("world.invalid-root-id", "root id `" + rootId + "` must look like `r-` followed by 4 to 32 lowercase"
          + " letters or digits", o.get("rootId").source());
      rootId = null;
    }
    List<PolicyDocument> scps = policyDecoder.policies(o.get("scps"), PolicyType.SCP, "scps");
    List<PolicyDocument> rcps = rcps(o.get("rcps"));
    // every account of the tree, with where it was placed (an account sits in one place only)
    Map<String, String> placed = new HashMap<>();
    for (String a : members) {
      placed.put(a, "the root");
    }
    List<OrganizationalUnit> units = units(o.get("units"), new ArrayList<>(), new HashMap<>(), placed, members);
    if (management != null && !members.contains(management)) {
      members.add(management);
    }
    return new Organization(id == null ? "" : id, rootId, management, members, scps, rcps, units, o.source());
  }

  /**
   * The units of a {@code units} list. {@code ancestors} are the ids on the path from the root; {@code seen}
   * every unit id met so far; {@code placed} where each account was listed; {@code members} collects accounts.
   */
  List<OrganizationalUnit> units(Node n, List<String> ancestors, Map<String, SourceRef> seen,
      Map<String, String> placed, List<String> members) {
    List<OrganizationalUnit> out = new ArrayList<>();
    for (Node item : items(n, "units")) {
      Node.ObjectNode u = object(item, "an organizational unit");
      if (u == null) {
        continue;
      }
      checkFields(u, UNIT, "an organizational unit");
      String id = requiredString(u, "id", "an organizational unit");
      if (id != null && !OU_ID.matcher(id).matches()) {
        error("world.invalid-ou-id", "organizational unit id `" + id + "` must look like `ou-ab12-11111111`"
            + " (`ou-`, 4 to 32 lowercase letters or digits, `-`, 8 to 32 more)", u.get("id").source());
        id = null;
      }
      if (id != null && ancestors.contains(id)) {
        error("world.ou-cycle", "organizational unit `" + id + "` is nested inside itself (" + String.join(" > ",
            ancestors) + " > " + id + "); units form a tree", u.get("id").source());
        continue;
      }
      if (id != null) {
        SourceRef first = seen.putIfAbsent(id, u.get("id").source());
        if (first != null) {
          error("world.duplicate-ou", "organizational unit `" + id + "` is declared twice; first at line "
              + first.line() + " (a unit has one parent)", u.get("id").source());
          continue;
        }
      }
      if (ancestors.size() + 1 > MAX_OU_DEPTH) {
        error("world.ou-too-deep", "organizational unit `" + id + "` is " + (ancestors.size() + 1) + " levels"
            + " under the root; AWS Organizations nests units at most " + MAX_OU_DEPTH + " levels deep",
            u.source());
      }
      String name = string(u.get("name"), "name");
      List<PolicyDocument> scps = policyDecoder.policies(u.get("scps"), PolicyType.SCP, "scps");
      List<PolicyDocument> rcps = rcps(u.get("rcps"));
      List<String> accounts = new ArrayList<>();
      String here = "organizational unit `" + id + "`";
      for (Node m : items(u.get("accounts"), "accounts")) {
        String a = accountId(m);
        if (a == null) {
          continue;
        }
        String where = placed.putIfAbsent(a, here);
        if (where != null) {
          error("world.account-in-two-units", "account `" + a + "` is in " + where + " and in " + here
              + "; an account sits in one place of the organization", m.source());
          continue;
        }
        accounts.add(a);
        members.add(a);
      }
      List<String> path = new ArrayList<>(ancestors);
      path.add(id == null ? "?" : id);
      List<OrganizationalUnit> children = units(u.get("units"), path, seen, placed, members);
      if (id != null) {
        out.add(new OrganizationalUnit(id, name, scps, rcps, accounts, children, u.source()));
      }
    }
    return out;
  }

  /**
   * RCPs, parsed as RCPs. AWS attaches {@code RCPFullAWSAccess} to every root, unit and account and it cannot
   * be detached, so an RCP's only effect is its Deny statements; the parser refuses any other Allow
   * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
   */
  List<PolicyDocument> rcps(Node n) {
    return policyDecoder.policies(n, PolicyType.RCP, "rcps");
  }

  Account account(Node n) {
    Node.ObjectNode o = object(n, "an account");
    if (o == null) {
      return null;
    }
    checkFields(o, ACCOUNT, "an account");
    Node idNode = o.get("id");
    if (idNode == null) {
      missing("id", "an account", o);
    }
    String id = accountId(idNode);
    List<PolicyDocument> scps = policyDecoder.policies(o.get("scps"), PolicyType.SCP, "scps");
    List<PolicyDocument> rcps = rcps(o.get("rcps"));
    return id == null ? null : new Account(id, scps, rcps, o.source());
  }
}
