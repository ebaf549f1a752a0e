package dev.keyward.snapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;

/**
 * Finds the credentials a snapshot runs with, in the order of the SDK's default chain (Java system
 * properties, environment variables, a web identity token, the shared credentials and config files, a
 * container's credentials endpoint, the EC2 instance metadata service), trying each source itself so that
 * when none gives credentials the refusal names every source tried and what to do. The instance metadata
 * service is asked last and only for a bounded time: off EC2 it may never answer, and the SDK would wait.
 */
final class CredentialSources {

  /** How long the instance metadata service may take before it is taken as absent. */
  static final Duration IMDS_DEADLINE = Duration.ofSeconds(3);

  private final Map<String, String> env;

  CredentialSources(Map<String, String> env) {
    this.env = env;
  }

  /** The provider of the first source that gives credentials; the profile's when {@code profile} is set. */
  AwsCredentialsProvider find(String profile) throws SnapshotCollector.StartException {
    if (profile != null) {
      ProfileCredentialsProvider p = ProfileCredentialsProvider.create(profile);
      String failure = attempt(p);
      if (failure == null) {
        return p;
      }
      throw new SnapshotCollector.StartException("the profile `" + profile + "` gives no credentials (" + failure
          + "); check its name with `aws configure list-profiles`, or set it up with `aws configure --profile "
          + profile + "`");
    }
    List<String> tried = new ArrayList<>();
    List<Source> sources = new ArrayList<>();
    sources.add(new Source("the Java system properties aws.accessKeyId and aws.secretAccessKey",
        SystemPropertyCredentialsProvider::create, System.getProperty("aws.accessKeyId") != null
            || System.getProperty("aws.secretAccessKey") != null));
    sources.add(new Source("the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        EnvironmentVariableCredentialsProvider::create, set("AWS_ACCESS_KEY_ID") || set("AWS_SECRET_ACCESS_KEY")));
    sources.add(new Source("a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)",
        WebIdentityTokenFileCredentialsProvider::create, set("AWS_WEB_IDENTITY_TOKEN_FILE")));
    String profileName = env.getOrDefault("AWS_PROFILE", "default");
    sources.add(new Source("profile `" + profileName + "` of the shared credentials and config files ("
        + env.getOrDefault("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials") + ", "
        + env.getOrDefault("AWS_CONFIG_FILE", "~/.aws/config") + ")", ProfileCredentialsProvider::create, true));
    sources.add(new Source("a container's credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or"
        + " AWS_CONTAINER_CREDENTIALS_FULL_URI)", () -> ContainerCredentialsProvider.builder().build(),
        set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || set("AWS_CONTAINER_CREDENTIALS_FULL_URI")));
    for (Source s : sources) {
      if (!s.applies) {
        tried.add(s.name + ": not set");
        continue;
      }
      AwsCredentialsProvider p = s.provider.get();
      String failure = attempt(p);
      if (failure == null) {
        return p;
      }
      tried.add(s.name + ": " + failure);
    }
    String imds = "the EC2 instance metadata service";
    if ("true".equalsIgnoreCase(env.getOrDefault("AWS_EC2_METADATA_DISABLED", ""))) {
      tried.add(imds + ": not asked (AWS_EC2_METADATA_DISABLED is true)");
    } else {
      InstanceProfileCredentialsProvider p = InstanceProfileCredentialsProvider.builder().build();
      String failure = attemptWithin(p, IMDS_DEADLINE);
      if (failure == null) {
        return p;
      }
      tried.add(imds + ": " + (failure.startsWith("no answer") ? failure : "no credentials (" + failure
          + "; not on EC2, or no role attached)"));
    }
    StringBuilder b = new StringBuilder("no AWS credentials found; tried, in order:");
    for (String t : tried) {
      b.append("\n  - ").append(t);
    }
    b.append("\nName a profile with --profile (or AWS_PROFILE; `aws configure` creates one), or set"
        + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials)");
    throw new SnapshotCollector.StartException(b.toString());
  }

  private boolean set(String name) {
    String v = env.get(name);
    return v != null && !v.isBlank();
  }

  /** Null when the provider gives credentials, else why not, on one line. */
  private static String attempt(AwsCredentialsProvider p) {
    try {
      p.resolveCredentials();
      return null;
    } catch (RuntimeException e) {
      return reason(e);
    }
  }

  private static String attemptWithin(AwsCredentialsProvider p, Duration deadline) {
    ExecutorService one = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "imds-credentials");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<String> f = one.submit(() -> attempt(p));
      return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return "no answer within " + deadline.toSeconds() + " s (not on EC2, or no role attached)";
    } catch (ExecutionException e) {
      return reason(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } finally {
      one.shutdownNow();
    }
  }

  private static String reason(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    m = m.lines().findFirst().orElse(m).strip();
    m = m.replaceAll(": ProfileFile\\(.*", "").replaceAll("\\s*\\(SDK Attempt Count.*", "");
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }

  private record Source(String name, Supplier<AwsCredentialsProvider> provider, boolean applies) {}
}
