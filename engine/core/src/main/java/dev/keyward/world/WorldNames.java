package dev.keyward.world;

import dev.keyward.model.Arn;
import dev.keyward.model.IamNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the names people type into the ARNs the authorizer needs: principals by ARN, account id or short
 * name ({@code Analyst} for {@code arn:aws:iam::222222222222:role/Analyst} when no other principal of
 * the world has that name), and keys by key ARN, key id, alias name or alias ARN.
 *
 * <p>Key ids and alias names resolve first in the caller's account (as KMS resolves them), then
 * anywhere in the world when exactly one key matches. A query names a key; a real cross-account call
 * must still use the key ARN or alias ARN, which AWS requires (KMS API reference, "Cross-account use").
 * A resource that is neither a KMS key nor a KMS alias (an S3 object ARN, say) is passed through.
 *
 * <p>Immutable and thread-safe.
 */
public final class WorldNames {

  private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
  private static final Pattern SERVICE_PRINCIPAL =
      Pattern.compile("([a-z0-9][a-z0-9-]*\\.)+amazonaws\\.com(\\.cn)?");
  private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9-]+:[A-Za-z0-9]+");

  private final WorldIndex index;
  private final Map<String, List<String>> principalsByName;

  private WorldNames(WorldIndex index) {
    this.index = index;
    Map<String, List<String>> byName = new HashMap<>();
    for (IamPrincipal p : index.world().principals()) {
      String resource = Arn.parse(p.arn()).map(Arn::resource).orElse(p.arn());
      String name = resource.substring(resource.lastIndexOf('/') + 1);
      byName.computeIfAbsent(name, x -> new ArrayList<>()).add(p.arn());
      byName.computeIfAbsent(resource, x -> new ArrayList<>()).add(p.arn());
    }
    Map<String, List<String>> frozen = new HashMap<>();
    byName.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    this.principalsByName = Map.copyOf(frozen);
  }

  public static WorldNames create(WorldIndex index) {
    return new WorldNames(index);
  }

  public WorldIndex index() {
    return index;
  }

  /** A resolved name: the value, or the reason it could not be resolved (one line, message style). */
  public record Resolution(String value, String error) {
    public static Resolution ok(String value) {
      return new Resolution(value, null);
    }

    public static Resolution fail(String error) {
      return new Resolution(null, error);
    }

    public boolean ok() {
      return error == null;
    }
  }

  /**
   * A principal: a role, user or account root ARN (roles and users with any IAM path), a role session or
   * federated user ARN, a 12-digit account id (its root), an AWS service principal
   * ({@code logs.us-east-1.amazonaws.com}), or the short name of a role or user of the world.
   */
  public Resolution principal(String text) {
    if (text == null || text.isBlank()) {
      return Resolution.fail("the principal is empty");
    }
    if (Arn.isAccountId(text)) {
      return Resolution.ok(Arn.accountRoot(text));
    }
    if (isServicePrincipal(text)) {
      return Resolution.ok(text);
    }
    if (text.startsWith("arn:")) {
      Arn a = Arn.parse(text).orElse(null);
      if (a != null && a.service().equals("iam") && (a.resourceType().equals("role") || a.resourceType().equals("user"))) {
        String problem = IamNames.problem(a.resourceId());
        if (problem != null) {
          return Resolution.fail("`" + text + "` is not a valid " + a.resourceType() + " ARN: " + problem);
        }
      }
      return validPrincipalArn(text) ? Resolution.ok(text) : Resolution.fail("`" + text + "` is not a principal"
          + " ARN: expected a role, user, account root (`arn:aws:iam::ACCOUNT:root`) or role session"
          + " (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`)");
    }
    List<String> arns = principalsByName.getOrDefault(text, List.of());
    if (arns.size() == 1) {
      return Resolution.ok(arns.get(0));
    }
    if (arns.isEmpty()) {
      return Resolution.fail("no principal of the world is named `" + text + "`"
          + Suggest.didYouMean(text, principalsByName.keySet()) + "; give a principal ARN");
    }
    return Resolution.fail("`" + text + "` names " + arns.size() + " principals (" + String.join(", ", arns)
        + "); give the ARN");
  }

  /**
   * An AWS service principal as a request's caller ({@code logs.us-east-1.amazonaws.com},
   * {@code cloudtrail.amazonaws.com}): DNS labels ending in {@code .amazonaws.com} (or {@code .amazonaws.com.cn}).
   */
  public static boolean isServicePrincipal(String text) {
    return text != null && SERVICE_PRINCIPAL.matcher(text).matches();
  }

  private static boolean validPrincipalArn(String text) {
    Arn a = Arn.parse(text).orElse(null);
    if (a == null || !PARTITION.matcher(a.partition()).matches() || !a.region().isEmpty()
        || !Arn.isAccountId(a.account())) {
      return false;
    }
    String type = a.resourceType();
    String id = a.resourceId();
    if (a.service().equals("iam")) {
      return a.resource().equals("root") || (type.equals("role") || type.equals("user")) && !id.isEmpty();
    }
    if (a.service().equals("sts")) {
      return type.equals("assumed-role") && id.indexOf('/') > 0 && !id.endsWith("/")
          || type.equals("federated-user") && !id.isEmpty();
    }
    return false;
  }

  /** The account of a principal ARN as {@link #principal} returns it. */
  public static String accountOf(String principalArn) {
    return Arn.parse(principalArn).map(Arn::account).orElse(null);
  }

  /** An action: {@code service:Operation}, one action without wildcards. */
  public Resolution action(String text) {
    if (text == null || !ACTION.matcher(text).matches()) {
      return Resolution.fail("action `" + text + "` must be one action such as `kms:Decrypt`, without"
          + " wildcards");
    }
    // A misspelt action of a known service would only ever be denied; say so instead.
    dev.keyward.iam.IamReference reference = dev.keyward.iam.IamReference.bundled();
    String prefix = text.substring(0, text.indexOf(':'));
    if (reference.isKnownService(prefix) && !reference.isKnownAction(text)) {
      java.util.List<String> names = new java.util.ArrayList<>();
      reference.service(prefix).ifPresent(s -> s.actions().forEach(a -> names.add(prefix + ":" + a.name())));
      return Resolution.fail("action `" + text + "` is not an action of `" + prefix + "` in the IAM reference"
          + Suggest.didYouMean(text, names));
    }
    return Resolution.ok(text);
  }

  /**
   * A resource: a KMS key (key ARN, key id, alias name or alias ARN) resolved to its key ARN, or any
   * other ARN passed through. {@code callerAccount} may be null.
   */
  public Resolution resource(String text, String callerAccount) {
    if (text == null || text.isBlank()) {
      return Resolution.fail("the resource is empty");
    }
    if (text.startsWith("arn:")) {
      Arn a = Arn.parse(text).orElse(null);
      if (a == null) {
        return Resolution.fail("`" + text + "` is not an ARN");
      }
      if (!a.service().equals("kms")) {
        return Resolution.ok(text);
      }
      if (a.resourceType().equals("alias")) {
        Optional<KmsKey> k = index.keyByAliasArn(text);
        return k.isPresent() ? Resolution.ok(k.get().arn().toString())
            : Resolution.fail("no key of the world has alias ARN `" + text + "`");
      }
      if (a.resourceType().equals("key")) {
        Optional<KmsKey> k = index.keyByArn(text);
        return k.isPresent() ? Resolution.ok(text) : Resolution.fail("key `" + text + "` is not in the world"
            + snapshotGaps(text));
      }
      return Resolution.fail("`" + text + "` is neither a key ARN nor an alias ARN");
    }
    Optional<KmsKey> k = callerAccount == null ? Optional.empty() : index.resolveKey(text, callerAccount);
    if (k.isEmpty()) {
      k = index.resolveKey(text, null);
    }
    if (k.isPresent()) {
      return Resolution.ok(k.get().arn().toString());
    }
    int matches = 0;
    for (KmsKey key : index.world().keys()) {
      if (key.arn().resourceId().equals(text) || key.metadata().aliases().contains(text)) {
        matches++;
      }
    }
    if (matches > 1) {
      return Resolution.fail("`" + text + "` names " + matches + " keys of the world; give the key ARN or"
          + " alias ARN");
    }
    return Resolution.fail(text.startsWith("alias/")
        ? "no key of the world has alias `" + text + "`"
        : "no key of the world has id `" + text + "`; give a key ARN, key id, `alias/NAME` or alias ARN");
  }

  /** What the world's snapshots could not read about {@code keyArn}, as a clause; "" when nothing. */
  private String snapshotGaps(String keyArn) {
    StringBuilder b = new StringBuilder();
    for (WorldGap g : index.world().coverage().gaps()) {
      if (g.scope().equals("key") && g.subject().equals(keyArn)) {
        b.append(b.length() == 0 ? ": a snapshot could not read it: " : "; ").append(g.message());
      }
    }
    return b.toString();
  }
}
