/**
 * Reasoning over every possible request to a KMS key: which principals outside a zone of
 * trust can do what ({@link dev.keyward.access.ExternalAccess}), and which requests a new policy allows
 * that an old one did not ({@link dev.keyward.access.PolicyDiff}). The method and its approximations are
 * described in {@code docs/access-analysis.md}.
 */
package dev.keyward.access;
