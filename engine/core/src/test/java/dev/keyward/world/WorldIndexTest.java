package dev.keyward.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorldIndexTest {

  private static final String K1 = "arn:aws:kms:us-east-1:111111111111:key/k1";
  private static final String K2 = "arn:aws:kms:us-east-1:222222222222:key/k2";
  private static final String K3 = "arn:aws:kms:eu-west-1:222222222222:key/k3";

  private static PolicyDocument doc(String name) {
    return new PolicyDocument(name, PolicyType.SCP, PolicyDocument.VERSION_2012, null, List.of(), SourceRef.none());
  }

  private static KmsKey key(String arn, String... aliases) {
    KeyMetadata d = KeyMetadata.defaults();
    return new KmsKey(Arn.parse(arn).orElseThrow(), doc("kp"), true, List.of(),
        new KeyMetadata(d.manager(), d.origin(), d.spec(), d.usage(), d.state(), List.of(aliases), null, null,
            null, null), SourceRef.none());
  }

  private static WorldIndex index() {
    Organization org = new Organization("o-1", "999999999999", List.of("111111111111", "222222222222"),
        List.of(doc("FullAWSAccess")), SourceRef.none());
    Account acct = new Account("222222222222", List.of(doc("no-delete")), SourceRef.none());
    IamPrincipal role = new IamPrincipal("arn:aws:iam::111111111111:role/team/App", "111111111111", Map.of(),
        List.of(), null, SourceRef.none());
    World w = new World("w", List.of(org), List.of(acct), List.of(role),
        List.of(key(K1, "alias/finance"), key(K2, "alias/finance"), key(K3, "alias/finance")), SourceRef.none());
    return WorldIndex.create(w);
  }

  @Test
  void principal_byExactArn() {
    assertThat(index().principal("arn:aws:iam::111111111111:role/team/App")).isPresent();
    assertThat(index().principal("arn:aws:iam::111111111111:role/team/app")).isEmpty();
  }

  @Test
  void roleByName_ignoresPath() {
    assertThat(index().roleByName("111111111111", "App")).isPresent();
    assertThat(index().roleByName("222222222222", "App")).isEmpty();
  }

  @Test
  void resolveKey_byArnAliasArnKeyIdAndAliasName() {
    WorldIndex ix = index();
    assertThat(ix.resolveKey(K1, null)).map(k -> k.arn().toString()).contains(K1);
    assertThat(ix.resolveKey("arn:aws:kms:eu-west-1:222222222222:alias/finance", null))
        .map(k -> k.arn().toString()).contains(K3);
    assertThat(ix.resolveKey("k2", "222222222222")).map(k -> k.arn().toString()).contains(K2);
    assertThat(ix.resolveKey("k2", "111111111111")).isEmpty();
    assertThat(ix.resolveKey("alias/finance", "111111111111")).map(k -> k.arn().toString()).contains(K1);
    // the same alias name in two Regions of one account is ambiguous without a Region
    assertThat(ix.resolveKey("alias/finance", "222222222222")).isEmpty();
  }

  @Test
  void scpLevels_rootThenAccount_noneForManagementAccount() {
    WorldIndex ix = index();
    assertThat(ix.scpLevels("222222222222")).hasSize(2);
    assertThat(ix.scpLevels("222222222222").get(1).get(0).name()).isEqualTo("no-delete");
    assertThat(ix.scpLevels("111111111111")).hasSize(1);
    assertThat(ix.scpLevels("999999999999")).isEmpty();
    assertThat(ix.isManagementAccount("999999999999")).isTrue();
    assertThat(ix.organizationOf("222222222222")).map(Organization::id).contains("o-1");
    assertThat(ix.organizationOf("333333333333")).isEmpty();
  }
}
