package dev.keyward.condition;

/**
 * The request-context keys a condition can read. Keys are looked up by their lower-case name (condition
 * keys are case-insensitive); values are one or more strings, or null when the key is absent.
 */
public interface ContextValues {

  /** The values of the key with this lower-case name, or null when the request does not have it. */
  String[] get(String lowerCaseKey);
}
