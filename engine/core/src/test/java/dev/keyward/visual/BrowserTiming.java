package dev.keyward.visual;

import java.nio.file.Path;
import java.util.Optional;

/** How long a page takes to open in headless Chromium, for the report benchmark. */
public final class BrowserTiming {

  private BrowserTiming() {}

  /**
   * Milliseconds from the start of navigation to the first frame painted after the page's scripts ran
   * ({@code performance.now()} after two animation frames), or empty when Chromium is not installed.
   * Fails when the page logs an error.
   */
  public static Optional<Double> openMillis(Path html) throws Exception {
    Optional<Path> exe = Chromium.find();
    if (exe.isEmpty()) {
      return Optional.empty();
    }
    try (Chromium browser = Chromium.launch(exe.get())) {
      String page = browser.newPage();
      browser.open(page, html.toAbsolutePath().toUri().toString());
      double ms = browser.eval(page, "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() =>"
          + " r(performance.now()))))").asDouble();
      if (!browser.errors(page).isEmpty()) {
        throw new AssertionError("the page logged errors: " + browser.errors(page));
      }
      return Optional.of(ms);
    }
  }
}
