package dev.keyward.runtime.store;

import dev.keyward.runtime.Kms;
import dev.keyward.runtime.KmsRuntime;
import java.nio.file.Path;

/**
 * The child process of {@link StoreCrashTest}: creates keys in a loop, printing each key id only after
 * CreateKey returned, until it is killed. Arguments: store directory, root key file, world file.
 */
public final class StoreCrashChild {

  private StoreCrashChild() {}

  public static void main(String[] args) throws Exception {
    KmsRuntime kms = KmsRuntime.builder().world(JdbcKeyStoreTest.world(Path.of(args[2])))
        .store(JdbcKeyStore.openDirectory(Path.of(args[0]), new JdbcKeyStore.KeyFile(Path.of(args[1]), false)))
        .build();
    Kms.Caller caller = JdbcKeyStoreTest.CALLER;
    for (int i = 0; ; i++) {
      Kms.KeyMetadata md = kms.createKey(caller, Kms.CreateKeyRequest.symmetric());
      if (i % 3 == 0) {
        kms.createAlias(caller, "alias/k" + i, md.keyId());
      }
      System.out.println(md.keyId());
      System.out.flush();
    }
  }
}
