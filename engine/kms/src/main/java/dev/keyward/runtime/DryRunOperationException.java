package dev.keyward.runtime;

/** DryRun was set and the request would have succeeded. */
public final class DryRunOperationException extends KmsException {

  private static final long serialVersionUID = 1L;

  public DryRunOperationException(String message) {
    super(message);
  }
}
