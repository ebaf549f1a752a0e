package dev.keyward.visual;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.analysis.SameAnswers;
import dev.keyward.eval.Authorizer;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Answers shared between principals the authorizer cannot tell apart ({@link SameAnswers}) are the answers
 * asked one by one: on random worlds whose principals often have the same policies but differ in what the
 * authorizer may read (a key policy, grant or VPC endpoint policy naming one of them, tags, paths,
 * service-linked names, users and roles, boundaries, accounts inside and outside the organization, and
 * conditions on the caller's ARN or name and policy variables in identity policies, key policies and SCPs).
 * A copied answer that differed (a wrong ALLOW, a missed one, another condition or another deciding
 * statement) would make the two graphs differ.
 */
class SameAnswersProperties {

  private static final String A = "111111111111";
  private static final String B = "222222222222";
  private static final String C = "333333333333";
  private static final String[] ACCOUNTS = {A, A, A, B, B, C};

  private static final String[] IDENTITY = {
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:*', Resource: '*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:*', Resource: '*',"
          + " Condition: {StringEquals: {'aws:PrincipalTag/team': a}}}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:Decrypt', Resource: '*',"
          + " Condition: {StringLike: {'aws:PrincipalArn': 'arn:aws:iam::*:role/p1*'}}}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:*',"
          + " Resource: 'arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:*', Resource: '*'},"
          + " {Effect: Deny, Action: 'kms:Decrypt', Resource: '*', Condition: {StringNotEquals: {'aws:username': p3}}}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: ['kms:CreateGrant', 'kms:Decrypt'], Resource: '*',"
          + " Condition: {Bool: {'kms:GrantIsForAWSResource': 'true'}}}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:Decrypt', Resource: '*',"
          + " Condition: {StringEquals: {'aws:PrincipalType': User}}}]}"};
  private static final String[] BOUNDARY = {
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:Decrypt', Resource: '*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:*', Resource: '*',"
          + " Condition: {StringNotEquals: {'aws:PrincipalTag/team': b}}}]}"};
  private static final String[] SCP = {
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'},"
          + " {Effect: Deny, Action: 'kms:CreateGrant', Resource: '*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'},"
          + " {Effect: Deny, Action: 'kms:Decrypt', Resource: '*', Condition: {StringLike: {'aws:PrincipalArn':"
          + " 'arn:aws:iam::*:role/p2*'}}}]}"};
  private static final String[] PATHS = {"/", "/", "/team/", "/aws-service-role/ops.amazonaws.com/"};
  private static final String[] TAGS = {"{}", "{}", "{team: a}", "{team: b}"};

  @Property(tries = 80)
  void sharedAnswers_equalTheAnswersAskedOneByOne(@ForAll long seed) throws IOException {
    Random r = new Random(seed);
    Path dir = Files.createTempDirectory("same-answers");
    try {
      World w = load(dir, worldText(r, dir));
      Authorizer a = Authorizer.create(w);
      AccessGraph oneByOne = AccessGraph.of(w, a, true, false, false);
      assertThat(AccessGraph.of(w, a, true, false, true)).isEqualTo(oneByOne);
      assertThat(AccessGraph.of(w, a, true, true, true)).isEqualTo(AccessGraph.of(w, a, true, true, false));
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void sharedAnswers_scenarioWorlds_equalTheAnswersAskedOneByOne() throws IOException {
    List<Path> worlds;
    try (var dirs = Files.list(Path.of("src/test/resources/scenarios"))) {
      worlds = dirs.map(d -> d.resolve("world.yaml")).filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(worlds).hasSizeGreaterThan(20);
    for (Path file : worlds) {
      WorldLoadResult r = WorldLoader.create().load(file);
      if (r.world() == null) {
        continue;
      }
      Authorizer a = Authorizer.create(r.world());
      assertThat(AccessGraph.of(r.world(), a, true, false, true)).as(file.toString())
          .isEqualTo(AccessGraph.of(r.world(), a, true, false, false));
    }
  }

  @Test
  void groups_sameProfile_sharedUnlessNamedTaggedOrElsewhere(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    String doc = IDENTITY[0];
    String text = "principals:\n"
        + principal("arn:aws:iam::" + A + ":role/p0", "{}", doc, null)
        + principal("arn:aws:iam::" + A + ":role/p1", "{}", doc, null)
        + principal("arn:aws:iam::" + A + ":role/p2", "{}", doc, null)
        + principal("arn:aws:iam::" + A + ":role/p3", "{team: a}", doc, null)
        + principal("arn:aws:iam::" + A + ":role/x/p4", "{}", doc, null)
        + principal("arn:aws:iam::" + B + ":role/p5", "{}", doc, null)
        + principal("arn:aws:iam::" + A + ":user/p6", "{}", doc, null)
        + principal("arn:aws:iam::" + A + ":role/p7", "{}", doc, BOUNDARY[0])
        + "keys:\n  - arn: " + key(A, 0) + "\n    policy:\n      document: {Version: '2012-10-17', Statement: ["
        + "{Effect: Allow, Principal: {AWS: 'arn:aws:iam::" + A + ":root'}, Action: 'kms:*', Resource: '*'},"
        + " {Effect: Allow, Principal: {AWS: 'arn:aws:iam::" + A + ":role/p2'}, Action: 'kms:*', Resource: '*'}]}\n";
    World w = load(dir, text);
    SameAnswers same = SameAnswers.of(w);
    List<int[]> groups = same.groups(w.keys().get(0), new int[] {0, 1, 2, 3, 4, 5, 6, 7});
    List<List<Integer>> shown = new ArrayList<>();
    for (int[] g : groups) {
      shown.add(java.util.Arrays.stream(g).boxed().toList());
    }
    // p0 and p1 share; p2 is named by the key policy; p3 has tags, p4 a path, p5 another account, p6 is a
    // user, p7 has a boundary
    assertThat(shown).containsExactly(List.of(0, 1), List.of(2), List.of(3), List.of(4), List.of(5), List.of(6),
        List.of(7));
    assertThat(SameAnswers.none(w).groups(w.keys().get(0), new int[] {0, 1})).hasSize(2);
    assertThat(same.renaming(0, 1).apply(w.principals().get(0).policies().get(0).name()))
        .isEqualTo(w.principals().get(1).policies().get(0).name());
  }

  private static World load(Path dir, String text) throws IOException {
    Path file = dir.resolve("world.yaml");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    WorldLoadResult r = WorldLoader.create().load(file, "world.yaml");
    assertThat(r.problems()).filteredOn(p -> p.isError()).isEmpty();
    return r.world();
  }

  private static String key(String account, int i) {
    return "arn:aws:kms:us-east-1:" + account + ":key/0000000" + i + "-0000-4000-8000-000000000000";
  }

  private static String principal(String arn, String tags, String policy, String boundary) {
    StringBuilder b = new StringBuilder("  - arn: ").append(arn).append("\n    tags: ").append(tags)
        .append("\n    policies:\n      - name: p\n        document: ").append(policy).append('\n');
    if (boundary != null) {
      b.append("    boundary:\n      name: b\n      document: ").append(boundary).append('\n');
    }
    return b.toString();
  }

  /** A random world: 8 to 14 principals over three accounts drawing from few policies, and three keys. */
  private static String worldText(Random r, Path dir) {
    try {
      Files.writeString(dir.resolve("shared.json"), "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\":"
          + " \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\"}]}", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder b = new StringBuilder();
    b.append("organizations:\n  - id: o-aaaaaaaaaa\n    managementAccount: \"").append(A)
        .append("\"\n    scps: [{name: root, document: ").append(SCP[r.nextInt(SCP.length)]).append("}]\n")
        .append("    accounts: [\"").append(A).append("\", \"").append(B).append("\"]\n");
    if (r.nextInt(3) == 0) {
      b.append("vpcEndpoints:\n  - {id: vpce-0123456789abcdef0, vpc: vpc-0123abcd, account: \"").append(A)
          .append("\", policy: {document: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {AWS:"
              + " 'arn:aws:iam::").append(A).append(":role/p1'}, Action: 'kms:*', Resource: '*'}]}}}\n");
    }
    int n = 8 + r.nextInt(7);
    List<String> arns = new ArrayList<>();
    b.append("principals:\n");
    for (int i = 0; i < n; i++) {
      String account = ACCOUNTS[r.nextInt(ACCOUNTS.length)];
      boolean user = r.nextInt(5) == 0;
      String path = user ? "/" : PATHS[r.nextInt(PATHS.length)];
      String name = !user && r.nextInt(8) == 0 ? "AWSServiceRoleForOps" + i : "p" + i;
      String arn = "arn:aws:iam::" + account + ":" + (user ? "user" : "role") + path + name;
      arns.add(arn);
      b.append("  - arn: ").append(arn).append("\n    tags: ").append(TAGS[r.nextInt(TAGS.length)])
          .append("\n    policies:\n");
      int policies = 1 + r.nextInt(2);
      for (int j = 0; j < policies; j++) {
        if (r.nextInt(4) == 0) {
          b.append("      - name: shared\n        file: shared.json\n");
        } else {
          // few policies, drawn with a bias to the first ones, so that many principals share them
          int pick = Math.min(r.nextInt(IDENTITY.length), r.nextInt(IDENTITY.length));
          b.append("      - name: p").append(j).append("\n        document: ").append(IDENTITY[pick]).append('\n');
        }
      }
      if (r.nextInt(4) == 0) {
        b.append("    boundary:\n      name: b\n      document: ").append(BOUNDARY[r.nextInt(BOUNDARY.length)])
            .append('\n');
      }
    }
    b.append("keys:\n");
    String[] keyAccounts = {A, B, C};
    for (int k = 0; k < keyAccounts.length; k++) {
      String account = keyAccounts[k];
      b.append("  - arn: ").append(key(account, k)).append("\n    policy:\n      document:\n")
          .append("        Version: '2012-10-17'\n        Statement:\n")
          .append("          - {Effect: Allow, Principal: {AWS: 'arn:aws:iam::").append(account)
          .append(":root'}, Action: 'kms:*', Resource: '*'}\n");
      int extra = r.nextInt(4);
      for (int s = 0; s < extra; s++) {
        String named = arns.get(r.nextInt(arns.size()));
        switch (r.nextInt(6)) {
          case 0, 1 -> b.append("          - {Effect: Allow, Principal: {AWS: '").append(named)
              .append("'}, Action: ['kms:Decrypt', 'kms:CreateGrant', 'kms:PutKeyPolicy'], Resource: '*'}\n");
          case 2 -> b.append("          - {Effect: Allow, Principal: {AWS: 'arn:aws:iam::")
              .append(keyAccounts[r.nextInt(3)]).append(":root'}, Action: 'kms:Decrypt', Resource: '*'}\n");
          case 3 -> b.append("          - {Effect: Allow, Principal: '*', Action: 'kms:Decrypt', Resource: '*',"
              + " Condition: {StringLike: {'aws:PrincipalArn': 'arn:aws:iam::*:role/p1*'}}}\n");
          case 4 -> b.append("          - {Effect: Deny, Principal: '*', Action: 'kms:Encrypt', Resource: '*',"
              + " Condition: {StringEquals: {'aws:PrincipalTag/team': b}}}\n");
          default -> b.append("          - {Effect: Allow, Principal: '*', Action: 'kms:Decrypt', Resource: '*',"
              + " Condition: {StringEquals: {'aws:PrincipalOrgID': o-aaaaaaaaaa}}}\n");
        }
      }
      if (r.nextBoolean()) {
        String grantee = arns.get(r.nextInt(arns.size()));
        b.append("    grants:\n      - grantee: ").append(grantee).append("\n        operations: [Decrypt]\n");
      }
    }
    return b.toString();
  }
}
