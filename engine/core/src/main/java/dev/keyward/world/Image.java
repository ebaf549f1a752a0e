package dev.keyward.world;

import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * An Amazon Machine Image of the world: its snapshots and their keys, who may launch it, and who in the
 * target accounts launches it with which re-encryption key.
 *
 * @param id the AMI id ({@code ami-...})
 * @param account the owning account
 * @param region the image's Region
 */
public record Image(
    String id,
    String account,
    String region,
    List<Snapshot> snapshots,
    LaunchPermissions launchPermissions,
    List<Launch> launches,
    SourceRef source) {

  public Image {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    snapshots = List.copyOf(snapshots);
    Objects.requireNonNull(launchPermissions, "launchPermissions");
    launches = List.copyOf(launches);
    Objects.requireNonNull(source, "source");
  }

  /** A backing EBS snapshot; {@code key} is the key ARN (or alias ARN) it is encrypted under, or null. */
  public record Snapshot(String id, String key, SourceRef source) {
    public Snapshot {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * The image's launch permissions (ModifyImageAttribute {@code launchPermission}).
   *
   * @param accounts account ids
   * @param organizations organization ARNs
   * @param organizationalUnits organizational unit ARNs
   * @param isPublic true for {@code Group=all}
   */
  public record LaunchPermissions(List<String> accounts, List<String> organizations,
      List<String> organizationalUnits, boolean isPublic, SourceRef source) {
    public LaunchPermissions {
      accounts = List.copyOf(accounts);
      organizations = List.copyOf(organizations);
      organizationalUnits = List.copyOf(organizationalUnits);
      Objects.requireNonNull(source, "source");
    }

    public static LaunchPermissions none(SourceRef source) {
      return new LaunchPermissions(List.of(), List.of(), List.of(), false, source);
    }
  }

  /** Who launches the image, and with which key (in the launcher's account) its volumes are re-encrypted. */
  public record Launch(String principal, String key, SourceRef source) {
    public Launch {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(source, "source");
    }
  }
}
