package dev.keyward.world;

import java.util.List;
import java.util.Set;

/**
 * What the world's snapshots read and what they could not: the accounts they cover and their gaps. A world
 * written by hand has no coverage ({@link #NONE}): it is taken as complete.
 *
 * @param accounts the accounts snapshots were taken of; a principal of any other account is unknown
 * @param gaps everything the snapshots could not read
 */
public record Coverage(Set<String> accounts, List<WorldGap> gaps) {

  public static final Coverage NONE = new Coverage(Set.of(), List.of());

  public Coverage {
    accounts = Set.copyOf(accounts);
    gaps = List.copyOf(gaps);
  }

  /** True when the world came from snapshots. */
  public boolean fromSnapshots() {
    return !accounts.isEmpty();
  }

  /**
   * The gaps an answer about {@code principal} using {@code keyArn} depends on: what is missing about the
   * principal, its account (IAM, SCPs) and the key, and, when the principal's account was not collected at
   * all and the world does not know the principal, that fact.
   *
   * @param keyArn the key's ARN, or null when the resource is not a key of the world
   * @param principalKnown whether the world holds the principal (a world file on top may add it)
   */
  public List<WorldGap> relevant(String principal, String keyArn, boolean principalKnown) {
    if (!fromSnapshots()) {
      return List.of();
    }
    String account = accountOf(principal);
    List<WorldGap> out = new java.util.ArrayList<>();
    if (account != null && !accounts.contains(account) && !principalKnown) {
      out.add(new WorldGap("account", account, "account " + account + " was not collected: the identity"
          + " policies of `" + principal + "` are unknown (take a snapshot of that account too)",
          dev.keyward.model.SourceRef.none()));
    }
    String keyAccount = keyArn == null ? null : accountOf(keyArn);
    String keyRegion = keyArn == null ? null : regionOf(keyArn);
    for (WorldGap g : gaps) {
      boolean hit;
      switch (g.scope()) {
        case "key":
          hit = g.subject().equals(keyArn);
          break;
        case "account":
        case "scps":
          hit = g.subject().equals(account) || g.subject().equals(keyAccount);
          break;
        case "principal":
          hit = g.subject().equals(principal);
          break;
        case "region":
          hit = keyAccount != null && g.subject().equals(keyAccount + "/" + keyRegion);
          break;
        default:
          hit = false;
      }
      if (hit) {
        out.add(g);
      }
    }
    return out;
  }

  private static String accountOf(String arn) {
    if (arn.matches("\\d{12}")) {
      return arn;
    }
    String[] parts = arn.split(":", 6);
    return parts.length >= 5 && parts[0].equals("arn") && parts[4].matches("\\d{12}") ? parts[4] : null;
  }

  private static String regionOf(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length >= 4 ? parts[3] : "";
  }
}
