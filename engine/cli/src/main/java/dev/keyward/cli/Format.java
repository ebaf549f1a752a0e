package dev.keyward.cli;

/**
 * Every output format a command may write. Each command accepts a few of them through its
 * {@link FormatOption}; the lower-case names are what {@code --format} takes.
 */
enum Format {
  text, json, jsonl, sarif, html, dot, mermaid
}
