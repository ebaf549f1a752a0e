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
  private static final PolicyDocument ADMIN = PolicyParser.create()
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
      }
    }
    List<Organization> orgs = new ArrayList<>();
    if (example.organization() != null && account != null) {
      orgs.add(new Organization(example.organization(), null, List.of(account), List.of(), src));
    }
    return new World("<witness>", orgs, List.of(), principals, List.of(target.key()), src);
  }

  /** The authorizer's decision on {@code example} in {@link #world}. */
  public static Decision decide(KeyTarget target, ExampleRequest example) {
    return Authorizer.create(world(target, example)).authorize(example.request());
  }
}
