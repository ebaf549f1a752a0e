package dev.keyward.access;

import dev.keyward.iam.IamReference;
import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Problem;
import dev.keyward.model.Statement;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import dev.keyward.world.WorldNames;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the commands' inputs (key policies, worlds), printing problems; null on errors. */
public final class Inputs {

  private Inputs() {}

  public static PolicyDocument policy(String file, PrintWriter err) {
    Path p = Path.of(file);
    if (!Files.isRegularFile(p)) {
      err.println("keyward: error: cannot read `" + file + "`: " + (Files.isDirectory(p)
          ? "it is a directory, not a file" : "no such file"));
      return null;
    }
    ParseResult r = PolicyParser.create().parseFile(p, file.replace('\\', '/'), PolicyType.KEY_POLICY);
    int errors = 0;
    for (Problem pr : r.problems()) {
      err.println(pr.display());
      errors += pr.isError() ? 1 : 0;
    }
    if (errors > 0 || r.policy() == null) {
      err.println("keyward: the key policy `" + file + "` has " + (errors == 1 ? "1 error" : errors + " errors")
          + "; nothing was analysed");
      return null;
    }
    return r.policy();
  }

  /** A world, quietly: null when the file does not load as a world without errors. */
  public static WorldLoadResult tryWorld(String file) {
    return WorldLoader.create().load(Path.of(file), file.replace('\\', '/'));
  }

  public static World world(String file, PrintWriter err) {
    WorldLoadResult r = tryWorld(file);
    int errors = 0;
    for (Problem p : r.problems()) {
      err.println(p.display());
      errors += p.isError() ? 1 : 0;
    }
    if (errors > 0 || r.world() == null) {
      err.println("keyward: the world `" + file + "` has " + (errors == 1 ? "1 error" : errors + " errors")
          + "; nothing was analysed");
      return null;
    }
    return r.world();
  }

  /** The key {@code ref} (ARN, id, alias name or alias ARN) of the world; null with a message if none. */
  public static KmsKey key(World w, String ref, PrintWriter err) {
    WorldNames names = WorldNames.create(dev.keyward.world.WorldIndex.create(w));
    WorldNames.Resolution r = names.resource(ref, null);
    if (!r.ok()) {
      err.println("keyward: error: " + r.error());
      return null;
    }
    for (KmsKey k : w.keys()) {
      if (k.arn().toString().equals(r.value())) {
        return k;
      }
    }
    err.println("keyward: error: `" + ref + "` is not a key of the world");
    return null;
  }

  /** Checks a key ARN option; null with a message when it is not a KMS key ARN. */
  public static String keyArn(String text, PrintWriter err) {
    Arn a = Arn.parse(text).orElse(null);
    if (a == null || !a.service().equals("kms") || !Arn.isAccountId(a.account())
        || !a.resourceType().equals("key")) {
      err.println("keyward: error: `" + text + "` is not a KMS key ARN such as"
          + " `arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab`");
      return null;
    }
    return text;
  }

  /**
   * The key's account when no key ARN was given: the account whose principal
   * ({@code arn:aws:iam::ACCOUNT:root}) the policy's first Allow statement names, the convention of the
   * default key policy's "Enable IAM policies" statement. Null when there is none.
   */
  public static String inferAccount(PolicyDocument p) {
    for (Statement s : p.statements()) {
      if (s.effect() != dev.keyward.model.Effect.ALLOW || s.principal() == null || s.principal().negated()) {
        continue;
      }
      for (PrincipalValue v : s.principal().values()) {
        Arn a = Arn.parse(v.value()).orElse(null);
        if (a != null && a.resource().equals("root") && Arn.isAccountId(a.account())) {
          return a.account();
        }
      }
    }
    return null;
  }

  public static KeyTarget target(String keyArn, PolicyDocument p) {
    return KeyTarget.of(keyArn, p, IamReference.bundled());
  }
}
