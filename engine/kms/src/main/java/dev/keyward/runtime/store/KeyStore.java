package dev.keyward.runtime.store;

import dev.keyward.runtime.crypto.SecretBytes;
import java.util.List;
import java.util.Map;

/**
 * Where the runtime's keys, materials, aliases and grants live. Every write is durable when the method
 * returns (the runtime acknowledges a call only after that). Materials go in as plaintext and are encrypted
 * by the store under its root key; {@link #load} decrypts them again.
 */
public interface KeyStore extends AutoCloseable {

  /** Everything the store holds. */
  record Snapshot(List<StoredKey> keys, Map<String, SecretBytes> materials, List<StoredAlias> aliases,
      List<StoredGrant> grants, List<ImportToken> importTokens) {
    public Snapshot {
      keys = List.copyOf(keys);
      materials = Map.copyOf(materials);
      aliases = List.copyOf(aliases);
      grants = List.copyOf(grants);
      importTokens = List.copyOf(importTokens);
    }
  }

  /**
   * What GetParametersForImport handed out, kept until ImportKeyMaterial uses it or it expires, so that a
   * restart, or another server on the same store, still takes the token.
   *
   * @param tokenHash SHA-256 of the import token, hex (the store never holds the token itself)
   * @param wrappingKeySpec RSA_2048, RSA_3072 or RSA_4096
   * @param wrappingKey the wrapping key pair in the runtime's encoded form (a secret: wrapped under the root key)
   */
  record ImportToken(String tokenHash, String keyArn, String wrappingAlgorithm, String wrappingKeySpec,
      SecretBytes wrappingKey, java.time.Instant validTo) {}

  /** Keeps an import token (replacing one with the same hash). */
  void putImportToken(ImportToken token);

  /** Forgets an import token (used, or expired). */
  void deleteImportToken(String tokenHash);

  /** The store's content; materials are keyed by {@code keyArn + "#" + materialId}. */
  Snapshot load();

  /** Inserts or replaces a key and adds {@code material} (with id {@code materialId}) in one transaction. */
  default void putKey(StoredKey key, String materialId, SecretBytes material) {
    putKey(key, Map.of(materialId, material));
  }

  /** Inserts or replaces a key and adds materials (by id, each one of the key's) in one transaction. */
  void putKey(StoredKey key, Map<String, SecretBytes> materials);

  /** Replaces a key and removes every material it no longer lists, in one transaction. */
  void putKeyDroppingMaterials(StoredKey key);

  /** Inserts or replaces a key's state. */
  void putKey(StoredKey key);

  /** Removes a key with its materials, aliases and grants. */
  void deleteKey(String keyArn);

  void putAlias(StoredAlias alias);

  void deleteAlias(String aliasArn);

  void putGrant(StoredGrant grant);

  void deleteGrant(String grantId);

  @Override
  void close();

  /** A store that keeps nothing: the runtime's state lives and dies with it. */
  static KeyStore none() {
    return new KeyStore() {
      @Override
      public Snapshot load() {
        return new Snapshot(List.of(), Map.of(), List.of(), List.of(), List.of());
      }

      @Override
      public void putKey(StoredKey key, Map<String, SecretBytes> materials) {}

      @Override
      public void putKeyDroppingMaterials(StoredKey key) {}

      @Override
      public void putKey(StoredKey key) {}

      @Override
      public void deleteKey(String keyArn) {}

      @Override
      public void putAlias(StoredAlias alias) {}

      @Override
      public void deleteAlias(String aliasArn) {}

      @Override
      public void putGrant(StoredGrant grant) {}

      @Override
      public void deleteGrant(String grantId) {}

      @Override
      public void putImportToken(ImportToken token) {}

      @Override
      public void deleteImportToken(String tokenHash) {}

      @Override
      public void close() {}
    };
  }
}
