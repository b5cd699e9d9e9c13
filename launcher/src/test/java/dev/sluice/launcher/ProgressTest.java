package dev.sluice.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The launcher's progress lines: the probe's status every interval, never after close. (A job's run
 * with its counts in the lines: the test kit's {@code dev.sluice.testing.launcher.ProgressTest}.)
 */
class ProgressTest {
  @Test
  void printsTheProbesStatusEveryIntervalUntilClosed() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ProgressProbe probe = () -> Optional.of("status " + calls.incrementAndGet());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    Progress progress =
        Progress.start("word-count", "DirectRunner", Duration.millis(20), probe, errStream);
    try (progress) {
      awaitCalls(calls, 3);
    }
    // A terminated timer never runs its task again: no status is asked after close.
    assertThat("stopped once closed", progress.stopped(), equalTo(true));
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.size(), greaterThanOrEqualTo(3));
    assertThat(
        "every status asked was printed before close returned", lines.size(), equalTo(calls.get()));
    for (int i = 0; i < lines.size(); i++) {
      assertThat(
          lines.get(i),
          matchesPattern(
              "sluice: word-count running on DirectRunner, [0-9]+ s: status " + (i + 1)));
    }
  }

  @Test
  void aProbeThatFailsLeavesTheStatusOutAndTheTimerRunning() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ProgressProbe probe =
        () -> {
          calls.incrementAndGet();
          throw new IllegalStateException("cluster gone");
        };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (Progress progress =
        Progress.start(
            "iot-sensors",
            "FlinkRunner",
            Duration.millis(20),
            probe,
            new PrintStream(err, true, StandardCharsets.UTF_8))) {
      awaitCalls(calls, 2);
    }
    assertThat(
        err.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow(),
        matchesPattern("sluice: iot-sensors running on FlinkRunner, [0-9]+ s"));
  }

  private static void awaitCalls(AtomicInteger calls, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (calls.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(calls.get(), greaterThanOrEqualTo(n));
  }
}
