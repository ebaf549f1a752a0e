package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * The AWS managed policies Keyward bundles (the default version of each, generated from the AWS managed
 * policy corpus; see {@code aws-managed-policies-SOURCE.md} beside the resource), so that a template
 * attaching one by ARN is read with its statements. Loaded on first use; each document is parsed when first
 * asked for. Thread-safe.
 */
public final class AwsManagedPolicies {

  private static final String RESOURCE = "/dev/keyward/world/aws-managed-policies.tsv.gz";
  private static final String PREFIX = ":iam::aws:policy/";

  private final Map<String, String> textByPath;
  private final Map<String, Optional<PolicyDocument>> parsed = new ConcurrentHashMap<>();

  private AwsManagedPolicies(Map<String, String> textByPath) {
    this.textByPath = textByPath;
  }

  private static final class Holder {
    static final AwsManagedPolicies BUNDLED = load();
  }

  /** The bundled policies. */
  public static AwsManagedPolicies bundled() {
    return Holder.BUNDLED;
  }

  private static AwsManagedPolicies load() {
    Map<String, String> out = new HashMap<>(4096);
    try (InputStream in = AwsManagedPolicies.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the bundled AWS managed policies are missing from the class path");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int tab = line.indexOf('\t');
        out.put(line.substring(line.indexOf(PREFIX) + PREFIX.length(), tab), line.substring(tab + 1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled AWS managed policies", e);
    }
    return new AwsManagedPolicies(Map.copyOf(out));
  }

  /** Whether {@code arn} names an AWS managed policy ({@code arn:<partition>:iam::aws:policy/...}). */
  public static boolean isAwsManagedArn(String arn) {
    return arn != null && arn.startsWith("arn:") && arn.indexOf(PREFIX) > 4 && arn.indexOf(':', 4) == arn.indexOf(PREFIX);
  }

  private volatile java.util.Set<String> vocabulary;
  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("\"([A-Za-z0-9-]+):([A-Za-z0-9*]+)\"");

  /**
   * Every {@code service:Name} that the bundled policies write as a whole string (actions and simple
   * condition keys, in lower case), and every service prefix they use: what AWS itself ships, even where
   * the IAM reference data no longer (or does not yet) list it. Read once, on first use.
   */
  public java.util.Set<String> vocabulary() {
    java.util.Set<String> v = vocabulary;
    if (v == null) {
      java.util.Set<String> out = new java.util.HashSet<>();
      for (String text : textByPath.values()) {
        java.util.regex.Matcher m = NAME.matcher(text);
        while (m.find()) {
          String prefix = m.group(1).toLowerCase(java.util.Locale.ROOT);
          out.add(prefix);
          out.add(prefix + ":" + m.group(2).toLowerCase(java.util.Locale.ROOT));
        }
      }
      v = java.util.Set.copyOf(out);
      vocabulary = v;
    }
    return v;
  }

  /** How many policies are bundled. */
  public int size() {
    return textByPath.size();
  }

  /**
   * The policy an AWS managed policy ARN names, in any partition, named by its ARN; empty when the ARN is not
   * one of the bundled policies.
   */
  public Optional<PolicyDocument> policy(String arn) {
    if (!isAwsManagedArn(arn)) {
      return Optional.empty();
    }
    String path = arn.substring(arn.indexOf(PREFIX) + PREFIX.length());
    return parsed.computeIfAbsent(arn, a -> {
      String text = textByPath.get(path);
      if (text == null) {
        return Optional.empty();
      }
      ParseResult r = PolicyParser.create().parseString(text, arn, PolicyType.IDENTITY);
      return Optional.ofNullable(r.policy()).map(d -> d.withName(arn));
    });
  }
}
