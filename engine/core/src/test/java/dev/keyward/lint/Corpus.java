package dev.keyward.lint;

import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ReadResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AWS managed policies corpus (src/test/resources/corpus, see SOURCE.md) as one JSON document per
 * policy, the way a user's repository would hold them: name to file bytes.
 */
public final class Corpus {

  private Corpus() {}

  public static Map<String, byte[]> managedPolicies() throws IOException {
    byte[] bytes;
    try (InputStream in = Corpus.class.getResourceAsStream("/corpus/aws-managed-policies.json")) {
      if (in == null) {
        throw new IOException("the corpus resource is missing");
      }
      bytes = in.readAllBytes();
    }
    ReadResult read = DocumentReader.create().read(bytes, "aws-managed-policies.json", DocumentFormat.JSON);
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (Node.Field f : ((Node.ObjectNode) read.root()).fields()) {
      Node document = ((Node.ObjectNode) f.value()).get("document");
      out.put(f.key() + ".json", NodeJson.write(document).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }
}
