package dev.keyward.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ReferenceFormatTest {

  private static final String SMALL = String.join("\n",
      "keyward-iam-reference\t1",
      "date\t2026-09-26",
      "source\ta test",
      "G\taws:EpochTime\tDate,Numeric",
      "G\taws:ResourceTag/${TagKey}\tString",
      "S\tdemo\tDemo Service",
      "K\taws:ResourceTag/${TagKey}\tString",
      "K\tdemo:Flavour\tArrayOfString",
      "R\tthing\tarn:${Partition}:demo:${Region}:${Account}:thing/${ThingId}\t0",
      "R\tzone\tarn:${Partition}:demo:::zone/${ZoneId}\t",
      "A\tPaint\tPW\t1\tdemo:Look\t0|1|1|;1|0||",
      "A\tLook\tR\t\t\t") + "\n";

  @Test
  void parse_smallResource_buildsServicesKeysTypesAndActions() throws IOException {
    IamReference r = IamReference.read(new ByteArrayInputStream(IamReferenceGenerator.gzip(
        SMALL.getBytes(StandardCharsets.UTF_8))));
    assertThat(r.dataDate()).isEqualTo(LocalDate.of(2026, 9, 26));
    assertThat(r.sourceDescription()).isEqualTo("a test");
    ActionInfo paint = r.action("DEMO:paint").orElseThrow();
    assertThat(paint.accessLevels()).containsExactly(AccessLevel.PERMISSIONS_MANAGEMENT, AccessLevel.WRITE);
    assertThat(paint.conditionKeys()).containsExactly("demo:Flavour");
    assertThat(paint.dependentActions()).containsExactly("demo:Look");
    assertThat(paint.resourceTypes()).hasSize(2);
    assertThat(paint.resourceTypes().get(0).type().name()).isEqualTo("thing");
    assertThat(paint.resourceTypes().get(0).required()).isTrue();
    assertThat(paint.resourceTypes().get(0).conditionKeys()).containsExactly("demo:Flavour");
    assertThat(paint.resourceTypes().get(1).required()).isFalse();
    assertThat(r.expand("demo:*")).containsExactly("demo:Look", "demo:Paint");
    assertThat(r.conditionKey("demo:flavour").orElseThrow().multiValued()).isTrue();
    // the service's entry for a global key is the global key itself
    assertThat(r.service("demo").orElseThrow().conditionKeys().get(0).global()).isTrue();
    assertThat(r.conditionKey("aws:EpochTime").orElseThrow().alternativeTypes())
        .containsExactly(ConditionKeyType.NUMERIC);
    assertThat(r.isConditionKeyApplicable("demo:Paint", "aws:ResourceTag/x")).isTrue();
    assertThat(r.isConditionKeyApplicable("demo:Look", "demo:Flavour")).isFalse();
    assertThat(r.matchResourceType("arn:aws:demo:eu-west-1:111122223333:thing/t-1"))
        .extracting(ResourceTypeInfo::name).containsExactly("thing");
    assertThat(r.matchResourceType("arn:aws:demo:::zone/z")).extracting(ResourceTypeInfo::name)
        .containsExactly("zone");
  }

  @Test
  void parse_wrongMagicOrVersion_isRejected() {
    assertThatThrownBy(() -> ReferenceFormat.parse("something else\t1\n"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReferenceFormat.parse("keyward-iam-reference\t2\ndate\t2026-09-26\nsource\tx\n"))
        .hasMessageContaining("version `2`");
  }

  @Test
  void parse_unknownTypeOrRecord_isRejected() {
    assertThatThrownBy(() -> ReferenceFormat.parse(
        "keyward-iam-reference\t1\ndate\t2026-09-26\nsource\tx\nS\td\tD\nK\td:k\tQuaternion\n"))
        .hasMessageContaining("`Quaternion`");
    assertThatThrownBy(() -> ReferenceFormat.parse("keyward-iam-reference\t1\nZ\tx\n"))
        .hasMessageContaining("`Z`");
  }

  @Test
  void parse_missingDate_isRejected() {
    assertThatThrownBy(() -> ReferenceFormat.parse("keyward-iam-reference\t1\nsource\tx\n"))
        .hasMessageContaining("no date");
  }
}
