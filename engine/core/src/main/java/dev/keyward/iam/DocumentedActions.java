package dev.keyward.iam;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Actions that AWS documents for use in policies outside the Service Authorization Reference, which the bundled
 * IAM reference data comes from (for example `rolesanywhere:CreateSession`, which the IAM Roles Anywhere guide
 * uses in endpoint policies). Read from the hand-kept {@code documented-actions.tsv}, where each action names
 * the AWS page that documents it.
 */
public final class DocumentedActions {

  private static final String RESOURCE = "documented-actions.tsv";
  private static volatile Map<String, String> bySource;

  private DocumentedActions() {}

  /** The AWS page that documents the action (case ignored), or empty when the list does not hold it. */
  public static Optional<String> source(String action) {
    return Optional.ofNullable(all().get(action.toLowerCase(Locale.ROOT)));
  }

  private static Map<String, String> all() {
    Map<String, String> m = bySource;
    if (m == null) {
      m = read();
      bySource = m;
    }
    return m;
  }

  private static Map<String, String> read() {
    Map<String, String> out = new HashMap<>();
    try (InputStream in = DocumentedActions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the bundled list " + RESOURCE + " is missing");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        if (tab <= 0 || !line.startsWith("http", tab + 1)) {
          throw new IllegalStateException(RESOURCE + ": each line is an action, a tab and its source page: " + line);
        }
        out.put(line.substring(0, tab).toLowerCase(Locale.ROOT), line.substring(tab + 1).trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(out);
  }
}
