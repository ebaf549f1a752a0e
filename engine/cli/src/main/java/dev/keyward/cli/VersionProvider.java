package dev.keyward.cli;

import dev.keyward.iam.IamReference;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Prints Keyward's version and the date of the IAM reference data it bundles. */
final class VersionProvider implements CommandLine.IVersionProvider {

  /** Keyward's version from the packaged properties, or {@code unknown}. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/keyward/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/keyward/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    return new String[] {
        "keyward " + p.getProperty("version", "unknown"),
        "IAM reference data of " + IamReference.bundled().dataDate()
            + " (AWS Service Authorization Reference)",
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
