package dev.keyward.world;

import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * An EC2 AMI of the world: its EBS snapshots and their keys, its launch permissions, and who launches it
 * in other accounts.
 *
 * @param id the AMI id ({@code ami-} and hex digits)
 * @param account the owning account
 * @param region the AMI's Region (AMIs and snapshots are Regional)
 * @param snapshots the backing snapshots; a snapshot with a null key is unencrypted
 * @param launchPermissions the {@code launchPermission} attribute
 * @param launches who launches the AMI, re-encrypting its volumes with which key
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

  /** True when at least one snapshot is encrypted. */
  public boolean encrypted() {
    for (Snapshot s : snapshots) {
      if (s.key() != null) {
        return true;
      }
    }
    return false;
  }

  /** An EBS snapshot and the key (key ARN or alias ARN, as written) it is encrypted with, or null. */
  public record Snapshot(String id, String key, SourceRef source) {
    public Snapshot {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * The AMI's launch permissions (ModifyImageAttribute {@code launchPermission}).
   *
   * @param accounts account ids ({@code UserId})
   * @param organizations organization ARNs ({@code OrganizationArn})
   * @param organizationalUnits OU ARNs ({@code OrganizationalUnitArn})
   * @param publicLaunch {@code Group=all}
   */
  public record LaunchPermissions(
      List<String> accounts,
      List<String> organizations,
      List<String> organizationalUnits,
      boolean publicLaunch,
      SourceRef source) {
    public LaunchPermissions {
      accounts = List.copyOf(accounts);
      organizations = List.copyOf(organizations);
      organizationalUnits = List.copyOf(organizationalUnits);
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * Someone who launches the AMI: the principal that calls RunInstances and the key its volumes are
   * re-encrypted with (its account's default EBS key or the key it names); key null means the world does
   * not say.
   */
  public record Launch(String principal, String key, SourceRef source) {
    public Launch {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(source, "source");
    }
  }
}
