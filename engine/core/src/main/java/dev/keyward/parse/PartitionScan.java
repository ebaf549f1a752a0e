package dev.keyward.parse;

/** Finds the AWS partition a policy lives in from the ARNs it holds. */
final class PartitionScan {

  private PartitionScan() {}

  private static final String[] ELEMENTS = {"Principal", "NotPrincipal", "Resource", "NotResource"};

  /** The partition of the first ARN in a statement's principals or resources; {@code aws} when none. */
  static String of(Node.ObjectNode policy) {
    Node statements = policy.get("Statement");
    if (statements instanceof Node.ObjectNode) {
      String p = inStatement((Node.ObjectNode) statements);
      return p != null ? p : "aws";
    }
    if (statements instanceof Node.ArrayNode) {
      for (Node s : ((Node.ArrayNode) statements).items()) {
        if (s instanceof Node.ObjectNode) {
          String p = inStatement((Node.ObjectNode) s);
          if (p != null) {
            return p;
          }
        }
      }
    }
    return "aws";
  }

  private static String inStatement(Node.ObjectNode s) {
    for (String element : ELEMENTS) {
      String p = inValue(s.get(element), 0);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static String inValue(Node n, int depth) {
    if (n == null || depth > 2) {
      return null;
    }
    if (n instanceof Node.ScalarNode) {
      return partitionOf(((Node.ScalarNode) n).text());
    }
    if (n instanceof Node.ArrayNode) {
      for (Node item : ((Node.ArrayNode) n).items()) {
        String p = inValue(item, depth + 1);
        if (p != null) {
          return p;
        }
      }
    } else if (n instanceof Node.ObjectNode) {
      for (Node.Field f : ((Node.ObjectNode) n).fields()) {
        String p = inValue(f.value(), depth + 1);
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  /** {@code aws}, {@code aws-cn}, {@code aws-us-gov}, ... of an ARN; null when not an ARN or a wildcard. */
  private static String partitionOf(String text) {
    if (!text.startsWith("arn:")) {
      return null;
    }
    int end = text.indexOf(':', 4);
    if (end <= 4) {
      return null;
    }
    String p = text.substring(4, end);
    if (!p.startsWith("aws")) {
      return null;
    }
    for (int i = 3; i < p.length(); i++) {
      char c = p.charAt(i);
      if (!((c >= 'a' && c <= 'z') || c == '-')) {
        return null;
      }
    }
    return p;
  }
}
