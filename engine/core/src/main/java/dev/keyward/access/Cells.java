package dev.keyward.access;

import dev.keyward.condition.ConditionMatcher;
import dev.keyward.model.Arn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns cells of a {@link Space} into example requests and principal classes. */
final class Cells {

  private final Space space;
  private final Map<String, String> keyNames = new HashMap<>();

  Cells(Space space) {
    this.space = space;
    for (KeyTarget t : space.targets) {
      for (Rule r : t.rules()) {
        for (ConditionMatcher m : r.conditions()) {
          keyNames.putIfAbsent(m.key(), m.condition().key());
        }
      }
      for (Rule r : t.guards().allRules()) {
        for (ConditionMatcher m : r.conditions()) {
          keyNames.putIfAbsent(m.key(), m.condition().key());
        }
      }
    }
    keyNames.putIfAbsent("aws:sourcevpce", "aws:SourceVpce");
  }

  /** The example request of a cell, for the key of {@code target}. */
  ExampleRequest example(KeyTarget target, Who who, String org, String lowerAction, Map<String, String[]> ctx) {
    Map<String, List<String>> context = new HashMap<>();
    Map<String, String> tags = new HashMap<>();
    for (Map.Entry<String, String[]> e : ctx.entrySet()) {
      String name = keyNames.getOrDefault(e.getKey(), e.getKey());
      if (e.getKey().startsWith(Space.TAG_PREFIX)) {
        if (who.kind() == Who.Kind.ROLE || who.kind() == Who.Kind.USER) {
          tags.put(name.substring(Space.TAG_PREFIX.length()), e.getValue()[0]);
          continue;
        }
        if (who.kind() != Who.Kind.SESSION && who.kind() != Who.Kind.FEDERATED) {
          continue;
        }
      }
      context.put(name, List.of(e.getValue()));
    }
    String[] vpce = ctx.get("aws:sourcevpce");
    Guards.Endpoint ep = vpce == null || vpce.length != 1 ? null : target.guards().endpoints().get(vpce[0]);
    if (ep != null && ep.vpc() != null) {
      // through a declared endpoint, aws:SourceVpc is the endpoint's VPC
      context.keySet().removeIf(k -> k.equalsIgnoreCase("aws:SourceVpc"));
      context.put("aws:SourceVpc", List.of(ep.vpc()));
    }
    return new ExampleRequest(who.arn(), target.canonical(lowerAction), target.keyArn(), context, org, tags,
        who.kind() == Who.Kind.SESSION ? who.roleArn() : who.kind() == Who.Kind.FEDERATED ? who.federatedBy() : null);
  }

  /** The class a caller belongs to, as (kind, principal). */
  Finding.Kind kind(Who who, String org) {
    if (who.kind() == Who.Kind.SERVICE) {
      return Finding.Kind.SERVICE;
    }
    if (!space.literalAccounts.contains(who.account())) {
      return org != null && space.literalOrgs.contains(org) ? Finding.Kind.ORGANIZATION : Finding.Kind.ANY_PRINCIPAL;
    }
    return named(who) != null ? Finding.Kind.PRINCIPAL : Finding.Kind.ACCOUNT;
  }

  String principal(Who who, String org) {
    return switch (kind(who, org)) {
      case SERVICE -> space.literalServices.contains(who.service()) ? who.service() : "*";
      case ORGANIZATION -> org;
      case ANY_PRINCIPAL -> "*";
      case ACCOUNT -> who.account();
      case PRINCIPAL -> named(who);
    };
  }

  /** The ARN the policy names this caller by (a role for its sessions, a user for its federated users), or null. */
  private String named(Who who) {
    if (who.kind() == Who.Kind.ROOT) {
      return null;
    }
    for (String c : new String[] {who.sessionArn(), who.roleArn(), who.userArn(), who.federatedBy()}) {
      if (c != null && space.literalArns.contains(c)) {
        return c;
      }
    }
    return null;
  }

  /** Whether a finding of this kind and principal covers the caller. */
  boolean covers(Finding.Kind kind, String principal, Who who, String org) {
    Finding.Kind k = kind(who, org);
    switch (kind) {
      case SERVICE:
        return k == Finding.Kind.SERVICE && (principal.equals("*") || principal.equals(who.service()));
      case ANY_PRINCIPAL:
        return k != Finding.Kind.SERVICE;
      case ORGANIZATION:
        return k != Finding.Kind.SERVICE && principal.equals(org);
      case ACCOUNT:
        return who.account() != null && who.account().equals(principal);
      case PRINCIPAL:
        return principal.equals(named(who));
      default:
        return false;
    }
  }

  static List<String> texts(List<ConditionMatcher> ms) {
    List<String> out = new ArrayList<>();
    for (ConditionMatcher m : ms) {
      out.add(m.toString());
    }
    return out;
  }

  static String accountOf(String principal) {
    if (Arn.isAccountId(principal)) {
      return principal;
    }
    return Arn.parse(principal).map(Arn::account).filter(Arn::isAccountId).orElse(null);
  }
}
