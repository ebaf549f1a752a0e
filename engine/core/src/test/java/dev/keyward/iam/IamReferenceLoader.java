package dev.keyward.iam;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Test-scope access to the package-private reader, for the benchmarks in {@code dev.keyward.bench}. */
public final class IamReferenceLoader {

  private IamReferenceLoader() {}

  /** The bundled resource's bytes (gzip'd). */
  public static byte[] bundledBytes() throws IOException {
    try (InputStream in = IamReference.class.getResourceAsStream(ReferenceFormat.RESOURCE)) {
      if (in == null) {
        throw new IOException("missing " + ReferenceFormat.RESOURCE);
      }
      return in.readAllBytes();
    }
  }

  /** Reads and indexes a resource from its gzip'd bytes, as {@link IamReference#bundled()} does. */
  public static IamReference read(byte[] gzip) throws IOException {
    return IamReference.read(new ByteArrayInputStream(gzip));
  }
}
