package dev.keyward.visual;

import java.nio.file.Path;
import java.util.Optional;

/** How long a page takes to open in headless Chromium, for the report benchmark. */
public final class BrowserTiming {

  private BrowserTiming() {}

  /**
   * Milliseconds from the start of navigation to the first frame painted after the page's scripts ran
   * (the page notes {@code performance.now()} two animation frames after it is ready), or empty when
   * Chromium is not installed.
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
      double ms = shownMillis(browser, page);
      if (!browser.errors(page).isEmpty()) {
        throw new AssertionError("the page logged errors: " + browser.errors(page));
      }
      return Optional.of(ms);
    }
  }

  /** Waits for the page to note when it was first shown ({@code data-shown} of its body) and returns it. */
  static double shownMillis(Chromium browser, String page) throws Exception {
    return browser.eval(page, "new Promise(r => { const t = () => document.body.dataset.shown"
        + " ? r(+document.body.dataset.shown) : setTimeout(t, 10); t(); })").asDouble();
  }
}
