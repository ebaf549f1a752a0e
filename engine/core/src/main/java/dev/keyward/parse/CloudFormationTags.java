package dev.keyward.parse;

import java.util.Map;

/**
 * CloudFormation's YAML short form: {@code !Sub "arn:..."} is the function {@code {"Fn::Sub": "arn:..."}},
 * {@code !Ref X} is {@code {"Ref": "X"}}. The reader turns these tags into the long form, so that every
 * consumer sees one shape whatever the syntax. Source: AWS CloudFormation User Guide, "Intrinsic function
 * reference" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
 */
final class CloudFormationTags {

  private CloudFormationTags() {}

  private static final Map<String, String> LONG_NAMES = Map.ofEntries(
      Map.entry("!Ref", "Ref"),
      Map.entry("!Condition", "Condition"),
      Map.entry("!Base64", "Fn::Base64"),
      Map.entry("!Cidr", "Fn::Cidr"),
      Map.entry("!FindInMap", "Fn::FindInMap"),
      Map.entry("!GetAtt", "Fn::GetAtt"),
      Map.entry("!GetAZs", "Fn::GetAZs"),
      Map.entry("!ImportValue", "Fn::ImportValue"),
      Map.entry("!Join", "Fn::Join"),
      Map.entry("!Select", "Fn::Select"),
      Map.entry("!Split", "Fn::Split"),
      Map.entry("!Sub", "Fn::Sub"),
      Map.entry("!Transform", "Fn::Transform"),
      Map.entry("!And", "Fn::And"),
      Map.entry("!Equals", "Fn::Equals"),
      Map.entry("!If", "Fn::If"),
      Map.entry("!Not", "Fn::Not"),
      Map.entry("!Or", "Fn::Or"),
      Map.entry("!Length", "Fn::Length"),
      Map.entry("!ToJsonString", "Fn::ToJsonString"));

  /** The long-form key of a short-form tag ({@code !Sub} gives {@code Fn::Sub}), or null for other tags. */
  static String longName(String tag) {
    return tag == null ? null : LONG_NAMES.get(tag);
  }

  /** True for a key of the long form: {@code Ref}, {@code Condition} or {@code Fn::...}. */
  static boolean isFunctionKey(String key) {
    return key.equals("Ref") || key.startsWith("Fn::");
  }
}
