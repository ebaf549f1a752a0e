package dev.keyward.model;

/** The JSON type a condition value was written as. IAM compares all of them as strings. */
public enum ValueKind {
  STRING,
  BOOLEAN,
  NUMBER
}
