package dev.keyward.template;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.world.Bucket;
import dev.keyward.world.DefaultKeyPolicy;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.Image;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns templates and plans into a {@link World}, and merges several worlds into one.
 *
 * <p>A key, role or user needs its ARN to be part of a world, and the ARN needs the account (and, for a
 * key, the Region). When the template does not say and no {@code --account}/{@code --region} was given,
 * that is an error: Keyward does not guess where a stack is deployed, because a guessed account would decide
 * whether a request is cross-account.
 */
public final class TemplateWorld {

  private TemplateWorld() {}

  /**
   * The world of a file when it is a template or plan (with every problem of reading it), or empty when
   * it is not one (or cannot be read): then it is a world file for {@link dev.keyward.world.WorldLoader}.
   *
   * @param forceTemplate read the file as a template even when its content does not say so (then a file
   *     that is neither is a {@code template.not-a-template} error)
   */
  public static java.util.Optional<WorldLoadResult> loadIfTemplate(java.nio.file.Path file, String shown,
      TemplateInputs inputs, boolean forceTemplate) {
    return ifTemplate(dev.keyward.parse.DocumentReader.create().readFile(file, shown), shown, inputs, forceTemplate);
  }

  /**
   * A file read once: its world when it is a template or plan, else (a world file, an IAM authorization
   * details file or a snapshot folder) the world {@link dev.keyward.world.WorldLoader} makes of it, from the
   * same parsed document. As {@link #loadIfTemplate} followed by {@code WorldLoader.load}, without parsing
   * the file a second time.
   *
   * @param forceTemplate as for {@link #loadIfTemplate}
   */
  public static Loaded load(java.nio.file.Path file, String shown, TemplateInputs inputs, boolean forceTemplate) {
    if (!forceTemplate && java.nio.file.Files.isDirectory(file)) {
      return new Loaded(dev.keyward.world.WorldLoader.create().load(file, shown), null, false);
    }
    dev.keyward.parse.ReadResult read = dev.keyward.parse.DocumentReader.create().readFile(file, shown);
    java.util.Optional<WorldLoadResult> t = ifTemplate(read, shown, inputs, forceTemplate);
    if (t.isPresent()) {
      return new Loaded(t.get(), null, true);
    }
    // NOTE: a document that could not be read is read again by the loader, which reports its problems
    return read.root() == null ? new Loaded(dev.keyward.world.WorldLoader.create().load(file, shown), null, false)
        : new Loaded(dev.keyward.world.WorldLoader.create().load(file, shown, read), read.root(), false);
  }

  /**
   * One input file loaded by {@link #load}.
   *
   * @param result the world and the problems
   * @param root the parsed document of a world file (or IAM authorization details), null for a template, a
   *     plan, a snapshot folder or an unreadable file
   * @param template true when the file was read as a template or plan
   */
  public record Loaded(WorldLoadResult result, dev.keyward.parse.Node root, boolean template) {}

  private static java.util.Optional<WorldLoadResult> ifTemplate(dev.keyward.parse.ReadResult read, String shown,
      TemplateInputs inputs, boolean forceTemplate) {
    if (read.root() == null || (!forceTemplate && TemplateLoader.detect(read.root()) == null)) {
      if (forceTemplate) {
        return java.util.Optional.of(new WorldLoadResult(null, read.problems()));
      }
      return java.util.Optional.empty();
    }
    TemplateResult t = TemplateLoader.create().read(read.root(), shown, inputs);
    List<Problem> problems = new ArrayList<>(read.problems());
    problems.addAll(t.problems());
    if (t.template() == null) {
      return java.util.Optional.of(new WorldLoadResult(null, problems));
    }
    WorldLoadResult w = toWorld(t.template());
    problems.addAll(w.problems());
    return java.util.Optional.of(new WorldLoadResult(w.world(), problems));
  }

  /** The world fragment of one template; errors when the account or Region is needed and unknown. */
  public static WorldLoadResult toWorld(Template t) {
    List<Problem> problems = new ArrayList<>();
    List<IamPrincipal> principals = new ArrayList<>();
    for (Template.TemplatePrincipal p : t.principals()) {
      if (p.arn() == null) {
        // With the account given, what is missing is the name (RoleName from a parameter or AWS::StackName):
        // asking for --account again would send the user in circles.
        problems.add(Problem.error("template.needs-account", t.account() == null
            ? "`" + p.id() + "`: its ARN needs the account: give --account"
            : "`" + p.id() + "`: its name (or path) is unknown until deployment: give the parameters it is made "
                + "of with --parameter NAME=VALUE (for the stack name, --parameter AWS::StackName=NAME)",
            p.source()));
        continue;
      }
      String account = Arn.parse(p.arn()).map(Arn::account).orElse("");
      principals.add(new IamPrincipal(p.arn(), account, p.tags(), p.policies(), p.boundary(), p.source()));
    }
    List<KmsKey> keys = new ArrayList<>();
    for (Template.TemplateKey k : t.keys()) {
      Arn arn = k.arn() == null ? null : Arn.parse(k.arn()).orElse(null);
      if (arn == null) {
        problems.add(Problem.error("template.needs-account", "`" + k.id() + "`: the key's ARN needs the account and "
            + "the Region: give --account and --region", k.source()));
        continue;
      }
      PolicyDocument policy = k.policy();
      boolean isDefault = policy == null;
      if (isDefault) {
        policy = DefaultKeyPolicy.forAccount(arn.account(), DefaultKeyPolicy.nameFor(arn.toString()));
      }
      keys.add(new KmsKey(arn, policy, isDefault, k.grants(), k.metadata(), k.source()));
    }
    List<Bucket> buckets = new ArrayList<>();
    for (Bucket b : t.buckets()) {
      if (b.account().isEmpty() || b.region().isEmpty()) {
        problems.add(Problem.error("template.needs-account", "bucket `" + b.name() + "` needs the account and the "
            + "Region: give --account and --region", b.source()));
        continue;
      }
      buckets.add(b);
    }
    List<Image> images = new ArrayList<>();
    for (Image i : t.images()) {
      if (i.account().isEmpty() || i.region().isEmpty()) {
        problems.add(Problem.error("template.needs-account", "image `" + i.id() + "` needs the account and the "
            + "Region: give --account and --region", i.source()));
        continue;
      }
      images.add(i);
    }
    World w = new World(t.file(), t.organizations(), t.accounts(), principals, keys, buckets, images, List.of(),
        t.vpcEndpoints(), SourceRef.synthetic(t.file(), ""));
    return new WorldLoadResult(w, problems);
  }

  /**
   * Several worlds as one: organizations, accounts and identities are concatenated; a principal, key,
   * bucket or image that two inputs both declare is an error (the first is kept), since Keyward cannot
   * know which of the two is deployed.
   */
  public static WorldLoadResult merge(List<World> worlds) {
    if (worlds.size() == 1) {
      return new WorldLoadResult(worlds.get(0), List.of());
    }
    List<Problem> problems = new ArrayList<>();
    Map<String, IamPrincipal> principals = new LinkedHashMap<>();
    Map<String, KmsKey> keys = new LinkedHashMap<>();
    Map<String, Bucket> buckets = new LinkedHashMap<>();
    Map<String, Image> images = new LinkedHashMap<>();
    List<dev.keyward.world.Organization> orgs = new ArrayList<>();
    List<dev.keyward.world.Account> accounts = new ArrayList<>();
    List<dev.keyward.world.Identity> identities = new ArrayList<>();
    List<dev.keyward.world.VpcEndpoint> endpoints = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (World w : worlds) {
      names.add(w.name());
      orgs.addAll(w.organizations());
      accounts.addAll(w.accounts());
      identities.addAll(w.identities());
      endpoints.addAll(w.vpcEndpoints());
      for (IamPrincipal p : w.principals()) {
        IamPrincipal prev = principals.putIfAbsent(p.arn(), p);
        if (prev != null) {
          problems.add(Problem.error("template.duplicate", "principal `" + p.arn() + "` is declared twice; first at "
              + prev.source().display(), p.source()));
        }
      }
      for (KmsKey k : w.keys()) {
        KmsKey prev = keys.putIfAbsent(k.arn().toString(), k);
        if (prev != null) {
          problems.add(Problem.error("template.duplicate", "key `" + k.arn() + "` is declared twice; first at "
              + prev.source().display(), k.source()));
        }
      }
      for (Bucket b : w.buckets()) {
        Bucket prev = buckets.putIfAbsent(b.name(), b);
        if (prev != null) {
          problems.add(Problem.error("template.duplicate", "bucket `" + b.name() + "` is declared twice; first at "
              + prev.source().display(), b.source()));
        }
      }
      for (Image i : w.images()) {
        images.putIfAbsent(i.id() + "@" + i.region(), i);
      }
    }
    String name = String.join("+", names);
    return new WorldLoadResult(new World(name, orgs, accounts, new ArrayList<>(principals.values()),
        new ArrayList<>(keys.values()), new ArrayList<>(buckets.values()), new ArrayList<>(images.values()), identities,
        endpoints, SourceRef.synthetic(name, ""), coverage(worlds)), problems);
  }

  /** The snapshots' coverage of the merged worlds: the accounts of all of them and all their gaps. */
  private static dev.keyward.world.Coverage coverage(List<World> worlds) {
    java.util.Set<String> accounts = new java.util.LinkedHashSet<>();
    List<dev.keyward.world.WorldGap> gaps = new ArrayList<>();
    java.util.Set<String> inOrganizations = new java.util.HashSet<>();
    for (World w : worlds) {
      accounts.addAll(w.coverage().accounts());
      for (dev.keyward.world.Organization o : w.organizations()) {
        inOrganizations.addAll(o.accounts());
      }
    }
    for (World w : worlds) {
      for (dev.keyward.world.WorldGap g : w.coverage().gaps()) {
        // a member account's snapshot cannot read the organization; the management account's can
        if (!(g.scope().equals("scps") && inOrganizations.contains(g.subject()))) {
          gaps.add(g);
        }
      }
    }
    return new dev.keyward.world.Coverage(accounts, gaps);
  }
}
