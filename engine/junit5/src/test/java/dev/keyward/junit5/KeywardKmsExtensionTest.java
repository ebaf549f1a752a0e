package dev.keyward.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class KeywardKmsExtensionTest {

  static URI classEndpoint;
  static URI suiteEndpoint;

  @Nested
  @Order(1)
  @KeywardKms(world = "world.yaml")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class PerClass {

    @Test
    @Order(1)
    void injectsClientsPerIdentity_andEnforcesTheirPolicies(@KmsIdentity("role/App") KmsClient app,
        @KmsIdentity("Auditor") KmsClient auditor, URI endpoint) {
      classEndpoint = endpoint;
      assertThat(endpoint.toString()).startsWith("http://127.0.0.1:");
      SdkBytes blob = app.encrypt(r -> r.keyId("alias/app").plaintext(SdkBytes.fromUtf8String("hello"))
          .encryptionContext(Map.of("purpose", "test"))).ciphertextBlob();
      assertThat(app.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(Map.of("purpose", "test"))).plaintext()
          .asUtf8String()).isEqualTo("hello");
      assertThat(KmsAssertions.assertAccessDenied(() -> auditor.decrypt(r -> r.ciphertextBlob(blob)
          .encryptionContext(Map.of("purpose", "test")))).getMessage()).contains("Auditor");
      app.createKey();
      assertThat(app.listKeys().keys()).hasSize(2);
    }

    @Test
    @Order(2)
    void keysCreatedInATest_areGoneAfterIt(@KmsIdentity("AKIAAPPEXAMPLE00001") KmsClient app, URI endpoint) {
      assertThat(endpoint).as("one KMS for the class").isEqualTo(classEndpoint);
      assertThat(app.listKeys().keys()).extracting(k -> k.keyArn())
          .containsExactly("arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    }

    @Test
    @Order(3)
    @KeywardKms(world = "world.yaml")
    void methodAnnotation_startsItsOwnKms(URI endpoint, LocalKms kms) {
      assertThat(endpoint).isNotEqualTo(classEndpoint).isEqualTo(kms.endpoint());
    }
  }

  @Nested
  @Order(2)
  @KeywardKms(world = "world.yaml", keepKeys = true)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class KeepingKeys {

    @Test
    @Order(1)
    void create(@KmsIdentity("App") KmsClient app) {
      app.createKey(r -> r.description("kept"));
    }

    @Test
    @Order(2)
    void stillThere(@KmsIdentity("App") KmsClient app) {
      assertThat(app.listKeys().keys()).hasSize(2);
    }
  }

  @Nested
  @Order(3)
  @KeywardKms(world = "world.yaml", scope = KeywardKms.Scope.SUITE)
  class SuiteA {
    @Test
    void first(URI endpoint) {
      suiteEndpoint = endpoint;
    }
  }

  @Nested
  @Order(4)
  @KeywardKms(world = "world.yaml", scope = KeywardKms.Scope.SUITE)
  class SuiteB {
    @Test
    void sharesTheKmsOfTheSuite(URI endpoint) {
      assertThat(endpoint).isEqualTo(suiteEndpoint);
    }
  }

  @Nested
  @Order(5)
  @KeywardKms(world = "world.yaml")
  class Selection {
    @Test
    void ambiguousOrUnknownIdentity_isExplained(LocalKms kms) {
      assertThatThrownBy(() -> kms.client(null)).hasMessageContaining("the world has 2 identities")
          .hasMessageContaining("assumed-role/App/app");
      assertThatThrownBy(() -> kms.client("Nobody")).hasMessageContaining("no identity of the world matches"
          .replace("matches", "match"));
      assertThat(kms.client("eu-west-1".isEmpty() ? "" : "App", "eu-west-1").listKeys().keys()).isEmpty();
    }
  }

  @Test
  void worldWithErrors_isRefusedWithItsProblems(@TempDir Path dir) throws Exception {
    Path w = dir.resolve("world.yaml");
    Files.writeString(w, "identities:\n  - { accessKeyId: nope, secretAccessKey: s, principal: x }\n");
    assertThatThrownBy(() -> LocalKms.start(w, "us-east-1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("world.yaml:2");
  }
}
