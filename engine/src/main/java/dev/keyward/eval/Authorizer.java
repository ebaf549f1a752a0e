package dev.keyward.eval;

import dev.keyward.world.World;
import dev.keyward.world.WorldIndex;
import java.util.Set;

/**
 * Decides requests against one {@link World} the way AWS and KMS do. All policies of the world are
 * compiled once by {@link #create}; {@link #authorize} is then cheap and thread-safe.
 */
public final class Authorizer {

  private final WorldIndex index;

  private Authorizer(WorldIndex index) {
    this.index = index;
  }

  /** Compiles every policy of the world once. */
  public static Authorizer create(World world) {
    return new Authorizer(WorldIndex.create(world));
  }

  /** The index of the world this authorizer decides against. */
  public WorldIndex index() {
    return index;
  }

  /** Decides one request; never throws for bad input (an unknown principal or key is a deny with a reason). */
  public Decision authorize(Request request) {
    throw new UnsupportedOperationException("API first: implementation in progress on branch eval");
  }

  /**
   * Decides a request in which the request-context keys named in {@code unknownKeys} are left open
   * (for {@code who-can}). Key names are case-insensitive; an entry ending in {@code *} is a prefix
   * (e.g. {@code kms:EncryptionContext:*}); the entry {@code *} alone leaves open every key that the engine
   * does not derive itself and the request does not give.
   */
  public ConditionalDecision authorizeSymbolic(Request request, Set<String> unknownKeys) {
    throw new UnsupportedOperationException("API first: implementation in progress on branch eval");
  }
}
