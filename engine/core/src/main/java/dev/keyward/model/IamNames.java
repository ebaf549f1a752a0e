package dev.keyward.model;

/**
 * Role and user names and their IAM paths, as they appear in ARNs ({@code role/PATH/NAME}): what IAM's
 * CreateRole and CreateUser accept. A path is {@code /} alone or starts and ends with {@code /}, holds ASCII
 * characters {@code !} through DEL, and is at most 512 characters; a name is 1 to 64 of
 * {@code [A-Za-z0-9_+=,.@-]}. An ARN carries the path without its leading slash:
 * {@code arn:aws:iam::111111111111:role/service-role/etl-runner} is role {@code etl-runner} with path
 * {@code /service-role/}.
 *
 * <p>Sources: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (Path, RoleName),
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html (friendly names and paths).
 */
public final class IamNames {

  private static final int MAX_PATH = 512;
  private static final int MAX_NAME = 64;

  private IamNames() {}

  /**
   * Why {@code rest} (what follows {@code role/} or {@code user/} in an ARN) is not an optional path and a
   * name, or null when it is one.
   */
  public static String problem(String rest) {
    if (rest == null || rest.isEmpty()) {
      return "the name is missing";
    }
    int slash = rest.lastIndexOf('/');
    String name = rest.substring(slash + 1);
    if (name.isEmpty()) {
      return "the name after the last `/` is missing (a path ends with `/`, and the name follows it)";
    }
    if (name.length() > MAX_NAME) {
      return "name `" + name + "` is longer than " + MAX_NAME + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_+=,.@-".indexOf(c) >= 0)) {
        return "name `" + name + "` has `" + c + "`; names use letters, digits and `_+=,.@-`";
      }
    }
    if (slash < 0) {
      return null;
    }
    String path = "/" + rest.substring(0, slash + 1);
    if (path.equals("//")) {
      return "the path is empty between two slashes; a path is `/` or `/NAME/.../`";
    }
    if (path.length() > MAX_PATH) {
      return "the path is longer than " + MAX_PATH + " characters";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x21 || c > 0x7F) {
        return "path `" + path + "` has " + (c == ' ' ? "a space" : "`" + c + "`")
            + "; a path holds ASCII characters `!` through `~`";
      }
    }
    return null;
  }

  /** The name: what follows the last {@code /} of {@code rest} (or of a whole ARN). */
  public static String name(String rest) {
    return rest.substring(rest.lastIndexOf('/') + 1);
  }

  /** The path of a role or user ARN's resource part {@code rest}: {@code /} or {@code /a/b/}. */
  public static String path(String rest) {
    int slash = rest.lastIndexOf('/');
    return slash < 0 ? "/" : "/" + rest.substring(0, slash + 1);
  }
}
