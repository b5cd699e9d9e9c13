package dev.sluice.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's progress lines: printed while a job runs, from its counters, never after. */
class ProgressTest {
  private static final Pattern COUNTS =
      Pattern.compile(
          "([0-9,]+) records read, ([0-9,]+) parsed, ([0-9,]+) dead letters, ([0-9,]+) lines"
              + " written");

  @TempDir Path dir;

  @Test
  void printsTheProbesStatusEveryIntervalUntilClosed() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ProgressProbe probe = () -> Optional.of("status " + calls.incrementAndGet());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    try (Progress progress =
        Progress.start("word-count", "DirectRunner", Duration.millis(20), probe, errStream)) {
      awaitCalls(calls, 3);
    }
    int afterClose = calls.get();
    Thread.sleep(100);
    assertThat("no status asked after close", calls.get(), equalTo(afterClose));
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.size(), greaterThanOrEqualTo(3));
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

  @Test
  void offPrintsNothing() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path input = writeLines(200);
    int code =
        Sluice.run(
            new String[] {
              "run",
              "word-count",
              "--input=file:" + input,
              "--output=file:" + dir.resolve("out"),
              "--progressEvery=off"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code, equalTo(Sluice.OK));
    assertThat(
        err.toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.contains(" running on "))
            .count(),
        equalTo(0L));
  }

  /**
   * On the DirectRunner (started not blocking) the lines carry the run's counters so far: each
   * count at most the final one, and the final summary counts every input line.
   */
  @Test
  void aDirectRunReportsCountsWhileItRuns() {
    int lines = 40_000;
    Path input = writeLines(lines);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Sluice.run(
            new String[] {
              "run",
              "word-count",
              "--input=file:" + input,
              "--output=file:" + dir.resolve("out"),
              "--progressEvery=50ms"
            },
            System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(stderr, code, equalTo(Sluice.OK));
    List<long[]> progress = new ArrayList<>();
    long[] last = null;
    for (String line : stderr.lines().toList()) {
      Matcher m = COUNTS.matcher(line);
      if (!m.find()) {
        continue;
      }
      long[] counts = new long[4];
      for (int i = 0; i < 4; i++) {
        counts[i] = Long.parseLong(m.group(i + 1).replace(",", ""));
      }
      if (line.contains(" finished on ")) {
        last = counts;
      } else {
        progress.add(counts);
      }
    }
    assertThat(stderr, last != null);
    assertThat(stderr, last[0], equalTo((long) lines));
    assertThat(stderr, last[3], greaterThan(0L));
    assertThat("progress lines with counts: " + stderr, progress.size(), greaterThan(0));
    for (long[] counts : progress) {
      for (int i = 0; i < 4; i++) {
        assertThat(stderr, counts[i], lessThanOrEqualTo(last[i]));
      }
    }
  }

  private Path writeLines(int n) {
    List<String> lines = new ArrayList<>();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      lines.add(
          String.format(
              "{\"ts\":\"%s\",\"text\":\"w%d w%d sluice\"}", t0.plusSeconds(i), i % 97, i % 13));
    }
    try {
      return Files.write(dir.resolve("in.jsonl"), lines, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void awaitCalls(AtomicInteger calls, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (calls.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(calls.get(), greaterThanOrEqualTo(n));
  }
}
