package dev.keyward.access;

import dev.keyward.eval.Authorizer;
import dev.keyward.eval.Decision;
import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.PolicyParser;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.Organization;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Confirms an example request with the concrete {@link Authorizer}: it builds the smallest world in which
 * the request means what the analysis meant (the key; the caller's role or user with the example's tags
 * and an identity policy that allows everything, standing for the unknown IAM policies of its account;
 * the caller's organization) and decides the request there.
 */
public final class Witness {

  private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":"
      + "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
  static final PolicyDocument ADMIN = PolicyParser.create()
      .parseString(ALLOW_ALL, "<assumed identity policy: allows everything>", PolicyType.IDENTITY).policy();

  private Witness() {}

  /** The world in which {@code example} is decided against {@code target}. */
  public static World world(KeyTarget target, ExampleRequest example) {
    SourceRef src = SourceRef.synthetic("<witness>", "");
    List<IamPrincipal> principals = new ArrayList<>();
    String account = null;
    Arn arn = Arn.parse(example.principal()).orElse(null);
    if (arn != null && Arn.isAccountId(arn.account())) {
      account = arn.account();
      String r = arn.resource();
      if (arn.service().equals("iam") && (r.startsWith("role/") || r.startsWith("user/"))) {
        principals.add(new IamPrincipal(example.principal(), account, example.principalTags(), List.of(ADMIN),
            null, src));
      } else if (arn.service().equals("sts") && r.startsWith("assumed-role/")) {
        String role = example.sessionRole();
        if (role == null) {
          String rest = r.substring("assumed-role/".length());
          role = "arn:" + arn.partition() + ":iam::" + account + ":role/" + rest.substring(0, rest.indexOf('/'));
        }
        principals.add(new IamPrincipal(role, account, Map.of(), List.of(ADMIN), null, src));
      } else if (arn.service().equals("sts") && r.startsWith("federated-user/") && example.sessionRole() != null) {
        // the user that made the federated user session
        principals.add(new IamPrincipal(example.sessionRole(), account, Map.of(), List.of(ADMIN), null, src));
      }
    }
    World base = target.guards().world();
    if (base == null) {
      List<Organization> orgs = new ArrayList<>();
      if (example.organization() != null && account != null) {
        orgs.add(new Organization(example.organization(), null, List.of(account), List.of(), src));
      }
      return new World("<witness>", orgs, List.of(), principals, List.of(target.key()), src);
    }
    return inWorld(base, target, example, account, principals, src);
  }

  /**
   * The key's own world with the caller's role or user in place of the world's (the caller's IAM policies
   * stand for the unknown ones, as above), the key as the target has it, and a caller of an account the world
   * does not place put in the example's organization (directly under its root when it is one of the world's).
   */
  private static World inWorld(World base, KeyTarget target, ExampleRequest example, String account,
      List<IamPrincipal> callers, SourceRef src) {
    List<IamPrincipal> principals = new ArrayList<>(callers);
    for (IamPrincipal p : base.principals()) {
      if (callers.stream().noneMatch(c -> c.arn().equals(p.arn()))) {
        principals.add(p);
      }
    }
    List<Organization> orgs = new ArrayList<>(base.organizations());
    boolean placed = account != null && orgs.stream().anyMatch(o -> o.accounts().contains(account)
        || account.equals(o.managementAccount()));
    String org = example.organization();
    if (org != null && account != null && !placed) {
      boolean found = false;
      for (int i = 0; i < orgs.size(); i++) {
        Organization o = orgs.get(i);
        if (o.id().equals(org)) {
          List<String> accts = new ArrayList<>(o.accounts());
          accts.add(account);
          orgs.set(i, new Organization(o.id(), o.rootId(), o.managementAccount(), accts, o.scps(), o.rcps(),
              o.units(), o.source()));
          found = true;
        }
      }
      if (!found) {
        orgs.add(new Organization(org, null, List.of(account), List.of(), src));
      }
    }
    List<dev.keyward.world.KmsKey> keys = new ArrayList<>();
    keys.add(target.key());
    for (dev.keyward.world.KmsKey k : base.keys()) {
      if (!k.arn().equals(target.key().arn())) {
        keys.add(k);
      }
    }
    return new World("<witness>", orgs, base.accounts(), principals, keys, List.of(), List.of(), List.of(),
        base.vpcEndpoints(), src);
  }

  /** The authorizer's decision on {@code example} in {@link #world}. */
  public static Decision decide(KeyTarget target, ExampleRequest example) {
    return Authorizer.create(world(target, example)).authorize(example.request());
  }
}
