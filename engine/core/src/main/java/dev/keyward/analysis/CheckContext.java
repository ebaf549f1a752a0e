package dev.keyward.analysis;

import dev.keyward.eval.Authorizer;
import dev.keyward.world.World;
import dev.keyward.world.WorldIndex;

/** What every analysis of one run shares: the world, its authorizer (compiled once) and S3 decisions. */
final class CheckContext {

  private final World world;
  private final Authorizer authorizer;
  private final S3Access s3;

  private CheckContext(World world) {
    this.world = world;
    this.authorizer = Authorizer.create(world);
    this.s3 = S3Access.create(world);
  }

  static CheckContext create(World world) {
    return new CheckContext(world);
  }

  World world() {
    return world;
  }

  Authorizer authorizer() {
    return authorizer;
  }

  WorldIndex index() {
    return authorizer.index();
  }

  S3Access s3() {
    return s3;
  }
}
