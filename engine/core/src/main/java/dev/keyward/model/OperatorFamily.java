package dev.keyward.model;

/** The families of IAM condition operators; the family decides how values are compared. */
public enum OperatorFamily {
  STRING,
  NUMERIC,
  DATE,
  BOOL,
  BINARY,
  IP_ADDRESS,
  ARN,
  NULL
}
