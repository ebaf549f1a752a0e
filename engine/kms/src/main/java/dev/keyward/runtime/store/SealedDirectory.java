package dev.keyward.runtime.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A store folder that only its owner can read: the folder 0700, its files 0600, on POSIX file systems. Policies,
 * tags, encryption contexts, grant tokens and the audit log are stored in the clear (key material never is), so
 * other local users must not read them. Where the file system has no POSIX permissions (FAT, some network and
 * Windows file systems), {@link #seal} says so instead of pretending.
 */
public final class SealedDirectory {

  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private SealedDirectory() {}

  /**
   * Creates {@code dir} if needed and makes it and every file in it readable by the owner only.
   *
   * @return warnings (one line each, empty when sealed): the file system cannot restrict permissions
   */
  public static List<String> seal(Path dir) throws IOException {
    List<String> warnings = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
      } catch (UnsupportedOperationException e) {
        Files.createDirectories(dir);
      }
    }
    try {
      Files.setPosixFilePermissions(dir, DIR);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(f, FILE);
          }
        }
      }
    } catch (UnsupportedOperationException e) {
      warnings.add("the file system of `" + dir + "` has no POSIX permissions: the store (policies, tags,"
          + " encryption contexts, audit log) may be readable by other users of this machine");
    }
    return warnings;
  }

  /** Creates an empty file readable by its owner only (plain permissions where POSIX ones are not supported). */
  public static void createPrivateFile(Path file) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(FILE);
    try {
      Files.createFile(file, attr);
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }

  /** Makes one existing file owner-only, silently where the file system cannot. */
  public static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, FILE);
    } catch (UnsupportedOperationException e) {
      // NOTE: reported once for the folder by seal(); nothing more to do per file
    }
  }
}
