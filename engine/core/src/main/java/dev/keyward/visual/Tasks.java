package dev.keyward.visual;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Starts the few large, independent parts of a report (lint, checks, analyses, parts of the page) each on a
 * thread of its own. The common fork-join pool has one worker fewer than the machine has cores (one on two
 * cores): parts queued there ran one after another while the thread that waited for them stood idle.
 */
public final class Tasks {

  private Tasks() {}

  /** Runs {@code work} on a new daemon thread; the future completes with its value or what it threw. */
  public static <T> CompletableFuture<T> start(String name, Supplier<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(work.get());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "keyward-" + name);
    t.setDaemon(true);
    t.start();
    return f;
  }
}
