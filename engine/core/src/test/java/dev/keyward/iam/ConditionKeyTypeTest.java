package dev.keyward.iam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConditionKeyTypeTest {

  @Test
  void fromAwsName_knownNames_ignoreCase() {
    assertThat(ConditionKeyType.fromAwsName("ArrayOfString")).contains(ConditionKeyType.ARRAY_OF_STRING);
    assertThat(ConditionKeyType.fromAwsName("ipaddress")).contains(ConditionKeyType.IP_ADDRESS);
    assertThat(ConditionKeyType.fromAwsName("Boolean")).isEmpty();
  }

  @Test
  void isArray_arrayTypes_haveTheirElementType() {
    assertThat(ConditionKeyType.ARRAY_OF_ARN.isArray()).isTrue();
    assertThat(ConditionKeyType.ARRAY_OF_ARN.elementType()).isEqualTo(ConditionKeyType.ARN);
    assertThat(ConditionKeyType.STRING.isArray()).isFalse();
    assertThat(ConditionKeyType.STRING.elementType()).isEqualTo(ConditionKeyType.STRING);
  }

  @Test
  void everyBundledKey_hasAKnownType() {
    assertThat(IamReference.bundled().services())
        .flatExtracting(ServiceInfo::conditionKeys)
        .extracting(ConditionKeyInfo::type)
        .doesNotContainNull();
  }
}
