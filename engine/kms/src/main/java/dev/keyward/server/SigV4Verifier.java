package dev.keyward.server;

import dev.keyward.world.Identity;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4CanonicalRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.util.SignerUtils;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.BinaryUtils;

/**
 * Authenticates requests signed with AWS Signature Version 4 (header form) against the world's identities.
 * The signature is recomputed with the AWS SDK for Java v2's signer code over exactly the headers the client
 * signed, and compared in constant time. The SDK's public {@code AwsV4HttpSigner} always adds and signs
 * {@code x-amz-content-sha256}, which botocore (the AWS CLI) does not sign, so the verifier calls the steps that
 * signer is made of (its canonical request, string to sign and cached signing-key derivation in
 * {@code software.amazon.awssdk.http.auth.aws.internal.signer}, same artifact and version) instead of
 * {@code sign()}; no canonicalisation is written here. Errors are the ones AWS gives (UnrecognizedClientException,
 * InvalidSignatureException, IncompleteSignatureException, MissingAuthenticationTokenException).
 */
final class SigV4Verifier {

  /** Who signed: the principal, the access key and the Region of the credential scope. */
  record Authenticated(String principal, String accessKeyId, String region, dev.keyward.request.Session session) {
    Authenticated(String principal, String accessKeyId, String region) {
      this(principal, accessKeyId, region, dev.keyward.request.Session.NONE);
    }
  }

  /** The parts of a request that SigV4 covers. */
  record SignedParts(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {}

  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final String DEFAULT_REGION = "us-east-1";

  private final Map<String, Identity> byAccessKey;
  private final String anyCredentialsAs;
  private final Clock clock;

  private SigV4Verifier(List<Identity> identities, String anyCredentialsAs, Clock clock) {
    Map<String, Identity> m = new HashMap<>();
    for (Identity i : identities) {
      m.put(i.accessKeyId(), i);
    }
    this.byAccessKey = Map.copyOf(m);
    this.anyCredentialsAs = anyCredentialsAs;
    this.clock = clock;
  }

  /**
   * @param anyCredentialsAs when not null, every request is accepted as this principal without checking its
   *     signature (the Region still comes from the credential scope when there is one)
   */
  static SigV4Verifier create(List<Identity> identities, String anyCredentialsAs, Clock clock) {
    return new SigV4Verifier(identities, anyCredentialsAs, clock);
  }

  /** What an Authorization header claims, read leniently (for the audit log of refused requests). */
  record Claimed(String accessKeyId, String region) {}

  private static final java.util.regex.Pattern CREDENTIAL = java.util.regex.Pattern.compile(
      "Credential=([A-Za-z0-9]{1,128})/[^/,\\s]*/([a-z0-9-]{1,32})/");

  /** The access key id and Region an Authorization header names, each null when it does not. */
  static Claimed claimed(String authorization) {
    if (authorization == null) {
      return new Claimed(null, null);
    }
    java.util.regex.Matcher m = CREDENTIAL.matcher(authorization);
    return m.find() ? new Claimed(m.group(1), m.group(2)) : new Claimed(null, null);
  }

  /** The principal an access key id belongs to, or null. */
  String principalOf(String accessKeyId) {
    Identity i = byAccessKey.get(accessKeyId);
    return i == null ? null : i.principal();
  }

  /** Parsed {@code Authorization} header. */
  private record Authorization(String accessKeyId, String date, String region, String service, String terminator,
      List<String> signedHeaders, String signature) {}

  Authenticated authenticate(SignedParts r) {
    String header = first(r.headers(), "authorization");
    if (anyCredentialsAs != null) {
      String region = DEFAULT_REGION;
      String akid = "";
      if (header != null) {
        try {
          Authorization a = parse(header);
          region = a.region();
          akid = a.accessKeyId();
        } catch (WireException e) {
          // NOTE: any credentials are accepted in this mode; a malformed header only loses its Region
        }
      }
      return new Authenticated(anyCredentialsAs, akid, region);
    }
    if (header == null) {
      throw new WireException("MissingAuthenticationTokenException", 400, "Missing Authentication Token");
    }
    Authorization a = parse(header);
    String amzDate = first(r.headers(), "x-amz-date");
    if (amzDate == null) {
      throw new WireException("IncompleteSignatureException", 400,
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header");
    }
    Instant when;
    try {
      when = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw new WireException("IncompleteSignatureException", 400, "X-Amz-Date `" + amzDate + "` is not a valid"
          + " ISO 8601 basic date-time");
    }
    Identity id = byAccessKey.get(a.accessKeyId());
    if (id == null) {
      throw new WireException("UnrecognizedClientException", 400,
          "The security token included in the request is invalid.");
    }
    Instant now = clock.instant();
    checkSessionToken(id, first(r.headers(), "x-amz-security-token"), now);
    if (when.isBefore(now.minus(MAX_SKEW))) {
      throw new WireException("InvalidSignatureException", 400, "Signature expired: " + amzDate + " is now earlier"
          + " than " + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)");
    }
    if (when.isAfter(now.plus(MAX_SKEW))) {
      throw new WireException("InvalidSignatureException", 400, "Signature not yet current: " + amzDate + " is still"
          + " later than " + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)");
    }
    if (!a.date().equals(amzDate.substring(0, 8))) {
      throw new WireException("InvalidSignatureException", 400, "Credential should be scoped to a valid date: `"
          + a.date() + "` is not the date of X-Amz-Date");
    }
    if (!a.service().equals("kms")) {
      throw new WireException("InvalidSignatureException", 400, "Credential should be scoped to correct service:"
          + " 'kms'.");
    }
    if (!a.terminator().equals("aws4_request")) {
      throw new WireException("InvalidSignatureException", 400, "Credential should be scoped with a valid terminator:"
          + " 'aws4_request'.");
    }
    String expected = recompute(r, a, id, when);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        a.signature().getBytes(StandardCharsets.US_ASCII))) {
      throw new WireException("InvalidSignatureException", 400, "The request signature we calculated does not match"
          + " the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service"
          + " documentation for details.");
    }
    return new Authenticated(id.principal(), id.accessKeyId(), a.region(), id.session());
  }

  /**
   * Session tokens go with temporary credentials only: AWS refuses a token sent with a long-term {@code AKIA}
   * key and requires one with a temporary {@code ASIA} key; a declared token must match and a declared expiry must
   * not have passed. (IAM: "Access key IDs beginning with AKIA are long-term access keys for an IAM user or the
   * root user; access key IDs beginning with ASIA are temporary credentials created by AWS STS".)
   */
  private static void checkSessionToken(Identity id, String token, Instant now) {
    if (!id.temporary()) {
      if (token != null) {
        throw new WireException("UnrecognizedClientException", 400, "The security token included in the request is"
            + " invalid.");
      }
      return;
    }
    if (token == null || token.isEmpty()
        || id.sessionToken() != null && !id.sessionTokenMatches(token)) {
      throw new WireException("UnrecognizedClientException", 400, "The security token included in the request is"
          + " invalid.");
    }
    if (id.expiration() != null && !now.isBefore(id.expiration())) {
      throw new WireException("ExpiredTokenException", 400, "The security token included in the request is"
          + " expired");
    }
  }

  /** The signature the SDK's signer makes for the signed headers, body, scope and time of the request. */
  private String recompute(SignedParts r, Authorization a, Identity id, Instant when) {
    String host = first(r.headers(), "host");
    // NOTE: the protocol is not part of the canonical request
    if (host == null || !a.signedHeaders().contains("host")) {
      throw new WireException("IncompleteSignatureException", 400, "the Host header must be signed");
    }
    SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.fromValue(r.method().toUpperCase(Locale.ROOT)))
        .protocol("https")
        .host(hostName(host))
        .encodedPath(r.path().isEmpty() ? "/" : r.path());
    int port = port(host);
    if (port > 0) {
      b.port(port);
    }
    for (String h : a.signedHeaders()) {
      List<String> values = r.headers().get(h);
      if (values == null) {
        throw new WireException("InvalidSignatureException", 400, "signed header `" + h + "` is not in the request");
      }
      b.putHeader(h, values);
    }
    if (r.query() != null && !r.query().isEmpty()) {
      for (String kv : r.query().split("&")) {
        int eq = kv.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
        b.appendRawQueryParameter(k, v);
      }
    }
    SdkHttpFullRequest req = b.build();
    V4CanonicalRequest canonical = new V4CanonicalRequest(req, BinaryUtils.toHex(SignerUtils.hash(r.body())),
        new V4CanonicalRequest.Options(true, true));
    if (!canonical.getSignedHeadersString().equals(String.join(";", a.signedHeaders()))) {
      throw new WireException("InvalidSignatureException", 400, "SignedHeaders `" + String.join(";", a.signedHeaders())
          + "` include a header that SigV4 does not sign");
    }
    CredentialScope scope = new CredentialScope(a.region(), a.service(), when);
    String stringToSign = ALGORITHM + "\n" + scope.getDatetime() + "\n" + scope.scope() + "\n"
        + SignerUtils.hashCanonicalRequest(canonical.getCanonicalRequestString());
    byte[] key = SignerUtils.deriveSigningKey(AwsCredentialsIdentity.create(id.accessKeyId(), id.secretAccessKey()),
        scope);
    return BinaryUtils.toHex(SignerUtils.computeSignature(stringToSign, key));
  }

  private static Authorization parse(String header) {
    String h = header.trim();
    if (!h.startsWith(ALGORITHM + " ")) {
      throw new WireException("IncompleteSignatureException", 400, "Authorization header must start with `"
          + ALGORITHM + "`");
    }
    Map<String, String> parts = new HashMap<>();
    for (String p : h.substring(ALGORITHM.length()).split(",")) {
      String t = p.trim();
      int eq = t.indexOf('=');
      if (eq > 0) {
        parts.put(t.substring(0, eq).trim(), t.substring(eq + 1).trim());
      }
    }
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (credential == null || signedHeaders == null || signature == null) {
      throw new WireException("IncompleteSignatureException", 400, "Authorization header requires 'Credential',"
          + " 'SignedHeaders' and 'Signature' parameters");
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || scope[0].isEmpty()) {
      throw new WireException("IncompleteSignatureException", 400, "Credential `" + credential + "` is not"
          + " AKID/date/region/service/aws4_request");
    }
    return new Authorization(scope[0], scope[1], scope[2], scope[3], scope[4],
        List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";")), signature);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static String hostName(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  private static int port(String host) {
    int colon = host.lastIndexOf(':');
    if (colon < 0 || host.endsWith("]")) {
      return -1;
    }
    try {
      return Integer.parseInt(host.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
