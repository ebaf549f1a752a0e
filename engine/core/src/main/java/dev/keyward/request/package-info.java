/**
 * What a caller asks: one authorization request and the role-session data it may carry. Low in the layers
 * (it needs only the policy model), so that readers of requests and the evaluator that answers them both
 * build on it without reaching up into each other.
 */
package dev.keyward.request;
