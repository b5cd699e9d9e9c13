package dev.sluice.testing.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.sluice.launcher.Sluice;
import dev.sluice.testing.JobRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's progress lines: printed while it runs, from its counters, never after. */
class ProgressTest {
  private static final Pattern COUNTS =
      Pattern.compile(
          "([0-9,]+) records read, ([0-9,]+) parsed, ([0-9,]+) dead letters, ([0-9,]+) late"
              + " records, ([0-9,]+) lines written");

  @TempDir Path dir;

  @Test
  void offPrintsNothing() {
    Path input = writeLines(200);
    JobRun.Result run =
        JobRun.of("word-count")
            .args(
                "--input=file:" + input,
                "--output=file:" + dir.resolve("out"),
                "--progressEvery=off")
            .run();
    assertThat(run.exitCode(), equalTo(Sluice.OK));
    assertThat(run.stderr().lines().filter(l -> l.contains(" running on ")).count(), equalTo(0L));
  }

  /**
   * On the DirectRunner (started not blocking) the lines carry the run's counters so far: each
   * count at most the final one, and the final summary counts every input line.
   *
   * <p>The run must outlast one interval after its first counters arrive (when the first bundle
   * ends). With a short interval a small input does: after parsing, the windows, the grouping and
   * the writing of the files still take far longer than 10 ms. (A large input, 40,000 lines with
   * each word in ten sliding windows, made this test take minutes on a loaded machine.)
   */
  @Test
  void aDirectRunReportsCountsWhileItRuns() {
    int lines = 4_000;
    Path input = writeLines(lines);
    JobRun.Result run =
        JobRun.of("word-count")
            .args(
                "--input=file:" + input,
                "--output=file:" + dir.resolve("out"),
                "--progressEvery=10ms")
            .run();
    String stderr = run.stderr();
    assertThat(stderr, run.exitCode(), equalTo(Sluice.OK));
    List<long[]> progress = new ArrayList<>();
    long[] last = null;
    for (String line : stderr.lines().toList()) {
      Matcher m = COUNTS.matcher(line);
      if (!m.find()) {
        continue;
      }
      long[] counts = new long[5];
      for (int i = 0; i < 5; i++) {
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
    assertThat(stderr, last[4], greaterThan(0L));
    assertThat("progress lines with counts: " + stderr, progress.size(), greaterThan(0));
    for (long[] counts : progress) {
      for (int i = 0; i < 5; i++) {
        assertThat(stderr, counts[i], lessThanOrEqualTo(last[i]));
      }
    }
    // The summary says what the run's counters say.
    assertThat(stderr, last[0], equalTo(run.counts().read()));
    assertThat(stderr, last[3], equalTo(run.counts().late()));
    assertThat(stderr, last[4], equalTo(run.counts().written()));
    // Nothing after the summary: no progress line once the job has ended.
    List<String> all = stderr.strip().lines().toList();
    assertThat(stderr, all.get(all.size() - 1).contains(" finished on "), equalTo(true));
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
