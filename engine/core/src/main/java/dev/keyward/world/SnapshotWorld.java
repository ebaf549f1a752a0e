package dev.keyward.world;

import static dev.keyward.world.SnapshotNodes.ACCOUNT;
import static dev.keyward.world.SnapshotNodes.text;

import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a snapshot folder (the AWS-shaped JSON files that {@code keyward snapshot} or the AWS CLI wrote) or
 * the JSON of {@code aws iam get-account-authorization-details} alone, and turns it into a world file's
 * tree, which {@link WorldLoader} then checks and loads like any world. Every value of that tree keeps the
 * place it was read from, so problems, reasons and findings point into the snapshot's own files.
 *
 * <p>What the snapshot could not read becomes the world's {@link Coverage}: a key whose policy was refused
 * is left out (its default policy would be a guess), a grant to a principal the world cannot name is left
 * out, and both are recorded as gaps, as are the calls the snapshot recorded as refused.
 *
 * <p>Each call family has its decoder ({@link SnapshotIam}, {@link SnapshotOrganizations}, {@link SnapshotS3},
 * {@link SnapshotKms}, {@link SnapshotEc2}); they share one {@link SnapshotSource}.
 */
public final class SnapshotWorld {

  private final SnapshotSource src;

  private SnapshotWorld(SnapshotSource src) {
    this.src = src;
  }

  /** The result of reading: the world tree (null when unusable), problems, and what the snapshot covers. */
  record Tree(Node.ObjectNode root, List<Problem> problems, Coverage coverage) {}

  /** Reads the snapshot folder {@code dir}, named {@code display} in messages. */
  static Tree folder(Path dir, String display) {
    return new SnapshotWorld(new SnapshotSource(dir, display)).readFolder();
  }

  /** Converts the already read JSON of {@code aws iam get-account-authorization-details}. */
  static Tree authorizationDetails(Node.ObjectNode root, String display) {
    SnapshotWorld s = new SnapshotWorld(new SnapshotSource(null, display));
    new SnapshotIam(s.src).read(root, true);
    return s.tree(root.source());
  }

  /** True when {@code root} looks like the output of get-account-authorization-details. */
  public static boolean isAuthorizationDetails(Node root) {
    if (!(root instanceof Node.ObjectNode)) {
      return false;
    }
    Node.ObjectNode o = (Node.ObjectNode) root;
    return o.get("RoleDetailList") != null || o.get("UserDetailList") != null || o.get("GroupDetailList") != null;
  }

  private Tree readFolder() {
    Node.ObjectNode caller = src.object(src.read(src.dir.resolve(SnapshotFiles.CALLER)), SnapshotFiles.CALLER,
        "what `aws sts get-caller-identity` prints");
    if (caller == null) {
      return new Tree(null, src.problems, Coverage.NONE);
    }
    Node acct = caller.get("Account");
    if (!(acct instanceof Node.ScalarNode) || !ACCOUNT.matcher(((Node.ScalarNode) acct).text()).matches()) {
      src.error("snapshot.shape", "`Account` must be the 12-digit account id, as `aws sts get-caller-identity` prints it",
          acct == null ? caller.source() : acct.source());
      return new Tree(null, src.problems, Coverage.NONE);
    }
    src.account = ((Node.ScalarNode) acct).text();
    src.accountAt = acct.source();
    checkKnownFiles();
    recordedGaps();
    Node.ObjectNode iam = src.object(src.readIfPresent(SnapshotFiles.IAM), SnapshotFiles.IAM,
        "what `aws iam get-account-authorization-details` prints");
    if (iam != null) {
      new SnapshotIam(src).read(iam, false);
    } else if (!Files.exists(src.dir.resolve(SnapshotFiles.IAM))) {
      src.gap("account", src.account, "the IAM users, groups and roles of account " + src.account + " were not collected"
          + " (`iam:GetAccountAuthorizationDetails` fills it)", src.accountAt);
    }
    new SnapshotOrganizations(src).read();
    new SnapshotS3(src).read();
    Path regions = src.dir.resolve(SnapshotFiles.REGIONS);
    if (Files.isDirectory(regions)) {
      List<Path> list = new ArrayList<>();
      try (Stream<Path> s = Files.list(regions)) {
        s.filter(Files::isDirectory).sorted().forEach(list::add);
      } catch (IOException e) {
        src.error("io.error", "cannot list `" + src.shown(SnapshotFiles.REGIONS) + "`: " + e.getMessage(),
            SourceRef.synthetic(src.shown(SnapshotFiles.REGIONS), ""));
      }
      for (Path r : list) {
        String region = r.getFileName().toString();
        new SnapshotKms(src).read(region);
        new SnapshotEc2(src).read(region);
      }
    }
    return tree(SourceRef.synthetic(src.display, ""));
  }

  private Tree tree(SourceRef at) {
    List<Node.Field> top = new ArrayList<>();
    addList(top, "organizations", src.organizations, at);
    addList(top, "accounts", src.accounts, at);
    addList(top, "principals", src.principals, at);
    addList(top, "keys", src.keys, at);
    addList(top, "buckets", src.buckets, at);
    addList(top, "images", src.images, at);
    Set<String> covered = src.account == null ? Set.of() : Set.of(src.account);
    return new Tree(new Node.ObjectNode(top, at), src.problems, new Coverage(covered, src.gaps));
  }

  private static void addList(List<Node.Field> top, String name, List<Node> items, SourceRef at) {
    if (!items.isEmpty()) {
      top.add(new Node.Field(name, at, new Node.ArrayNode(items, at)));
    }
  }


  private void recordedGaps() {
    Node.ObjectNode root = src.object(src.readIfPresent(SnapshotFiles.GAPS), SnapshotFiles.GAPS,
        "the gaps `keyward snapshot` records");
    for (Node g : src.list(root, "Gaps")) {
      Node.ObjectNode o = src.asObject(g, "a gap");
      if (o == null) {
        continue;
      }
      String call = text(o, "Call");
      String subject = text(o, "Subject");
      String missing = text(o, "Missing");
      String permission = text(o, "Permission");
      if (call == null || subject == null || missing == null || permission == null) {
        src.error("snapshot.shape", "a gap needs `Call`, `Subject`, `Missing` and `Permission`", o.source());
        continue;
      }
      if (call.startsWith("organizations:") && !call.equals("organizations:DescribeOrganization")
          && !isManagementSnapshot()) {
        // a member account's view of the organization is not used; one gap says so (see SnapshotOrganizations)
        continue;
      }
      String scope = subject.startsWith("arn:aws:kms:") ? "key" : call.startsWith("organizations:") ? "scps"
          : call.startsWith("iam:") ? "account" : "region";
      String about = scope.equals("key") ? subject : scope.equals("region") ? src.account + "/" + subject : src.account;
      src.gaps.add(new WorldGap(scope, about, missing + " was not read: `" + call + "` failed ("
          + (text(o, "Error") == null ? "" : text(o, "Error")) + "); `" + permission + "` fills it", o.source()));
    }
  }

  /** True when the organization file names this snapshot's account as the management account. */
  private boolean isManagementSnapshot() {
    Node d = readIfPresentQuiet(SnapshotFiles.ORG);
    if (!(d instanceof Node.ObjectNode)) {
      return false;
    }
    Node org = ((Node.ObjectNode) d).get("Organization");
    return org instanceof Node.ObjectNode && src.account != null
        && src.account.equals(text((Node.ObjectNode) org, "MasterAccountId"));
  }

  private Node readIfPresentQuiet(String rel) {
    Path file = src.dir.resolve(rel);
    return Files.exists(file) ? src.reader.readFile(file, src.shown(rel)).root() : null;
  }

  /** Files of the folder that this reader does not know: a folder of another shape, or a misspelling. */
  private void checkKnownFiles() {
    Set<String> known = new LinkedHashSet<>(SnapshotFiles.TOP_LEVEL);
    try (Stream<Path> s = Files.walk(src.dir, 4)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        String rel = src.dir.relativize(p).toString().replace('\\', '/');
        String name = rel;
        if (rel.startsWith(SnapshotFiles.REGIONS + "/")) {
          String[] parts = rel.split("/", 3);
          name = parts.length == 3 ? parts[2] : rel;
          if (!SnapshotFiles.REGIONAL.contains(name)) {
            src.error("snapshot.unknown-file", "`" + src.shown(rel) + "` is not a file of a snapshot; a Region's folder"
                + " holds " + String.join(", ", SnapshotFiles.REGIONAL), SourceRef.synthetic(src.shown(rel), ""));
          }
        } else if (!known.contains(name)) {
          src.error("snapshot.unknown-file", "`" + src.shown(rel) + "` is not a file of a snapshot; see the snapshot"
              + " documentation for the files it holds", SourceRef.synthetic(src.shown(rel), ""));
        }
      });
    } catch (IOException e) {
      src.error("io.error", "cannot list `" + src.display + "`: " + e.getMessage(), SourceRef.synthetic(src.display, ""));
    }
  }
}
