package dev.keyward.runtime.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The key that encrypts key material at rest. It comes from a key file (64 hex digits, made by
 * {@link #createKeyFile}) or from a passphrase through scrypt (Bouncy Castle; N = 2^15, r = 8, p = 1, a
 * 16-byte salt kept by the store). Wrapped material is {@code 0x01 || iv (12) || AES-256-GCM(material) || tag},
 * with the caller's label (key ARN and material id) as AAD, so a row copied to another key does not open.
 */
public final class RootKey {

  private static final int SCRYPT_N = 1 << 15;
  private static final HexFormat HEX = HexFormat.of();
  private final SecretBytes key;
  private final SecureRandom random;

  private RootKey(SecretBytes key, SecureRandom random) {
    this.key = key;
    this.random = random;
  }

  /** Writes a new random root key file readable by its owner only; refuses to overwrite one. */
  public static void createKeyFile(Path file, SecureRandom random) throws IOException {
    byte[] k = new byte[32];
    random.nextBytes(k);
    byte[] text = (HEX.formatHex(k) + "\n").getBytes(StandardCharsets.US_ASCII);
    Arrays.fill(k, (byte) 0);
    Files.write(file, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // NOTE: not a POSIX file system; the file keeps the platform's default permissions
    }
    Arrays.fill(text, (byte) 0);
  }

  /** The root key in {@code file} (64 hex digits, surrounding white space ignored). */
  public static RootKey fromKeyFile(Path file, SecureRandom random) throws IOException {
    byte[] raw = Files.readAllBytes(file);
    String text = new String(raw, StandardCharsets.US_ASCII).trim();
    Arrays.fill(raw, (byte) 0);
    if (text.length() != 64 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IOException("root key file must hold 64 hex digits");
    }
    return new RootKey(SecretBytes.adopt(HEX.parseHex(text)), random);
  }

  /** The root key derived from {@code passphrase} and {@code salt} with scrypt. */
  public static RootKey fromPassphrase(char[] passphrase, byte[] salt, SecureRandom random) {
    byte[] pw = new String(passphrase).getBytes(StandardCharsets.UTF_8);
    try {
      return new RootKey(SecretBytes.adopt(SCrypt.generate(pw, salt, SCRYPT_N, 8, 1, 32)), random);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  /** Encrypts {@code plaintext} bound to {@code label}. */
  public byte[] wrap(byte[] plaintext, String label) {
    byte[] out = new byte[1 + 12 + plaintext.length + 16];
    out[0] = 1;
    byte[] iv = new byte[12];
    random.nextBytes(iv);
    System.arraycopy(iv, 0, out, 1, 12);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.unsafeBytes(), "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
      c.doFinal(plaintext, 0, plaintext.length, out, 13);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("aes-gcm failed", e);
    }
  }

  /** Decrypts what {@link #wrap} made with the same label; a wrong root key or label fails. */
  public SecretBytes unwrap(byte[] wrapped, String label) throws CiphertextException {
    if (wrapped == null || wrapped.length < 29 || wrapped[0] != 1) {
      throw new CiphertextException("wrapped material is malformed");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.unsafeBytes(), "AES"),
          new GCMParameterSpec(128, wrapped, 1, 12));
      c.updateAAD(label.getBytes(StandardCharsets.UTF_8));
      return SecretBytes.adopt(c.doFinal(wrapped, 13, wrapped.length - 13));
    } catch (AEADBadTagException e) {
      throw new CiphertextException("wrapped material does not open under this root key");
    } catch (GeneralSecurityException e) {
      throw new CiphertextException("wrapped material does not open");
    }
  }

  public void wipe() {
    key.wipe();
  }

  @Override
  public String toString() {
    return "RootKey[****]";
  }
}
