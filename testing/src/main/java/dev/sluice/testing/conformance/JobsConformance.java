package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.testing.JobRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every job of {@link JobCases} on one runner, in batch over generated files (late, out-of-order
 * and malformed records included), through the command line users run: each output equals the job's
 * reference model line for line (an output the model leaves empty must be empty), the dead letters
 * are the malformed records, each once at its line with its content, and good + dead = input. A
 * runner module extends this class and says how to select its runner.
 */
public abstract class JobsConformance {
  private static final Pattern COUNTS =
      Pattern.compile("([0-9,]+) records read, ([0-9,]+) parsed, ([0-9,]+) dead letters");
  private static final Pattern WRITTEN = Pattern.compile("([0-9,]+) lines written");

  /** The flags that select this runner, e.g. {@code --runner=flink}. */
  protected abstract List<String> runnerFlags();

  static Stream<JobCase> cases() {
    // -Dsluice.jobs=risk-control,log-analytics runs only those jobs' cases (to look at a few).
    return JobCases.selected(JobCases.all()).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theJobEqualsItsReferenceModel(JobCase c) throws IOException {
    GeneratedEvents events =
        Generators.named(c.generator())
            .orElseThrow(() -> new AssertionError("no generator " + c.generator()))
            .generate(c.settings());
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "conformance")), c.job() + "-");
    Path input = dir.resolve("in/events.jsonl");
    Files.createDirectories(input.getParent());
    Files.write(input, events.lines(), StandardCharsets.UTF_8);

    JobRun.Result run =
        JobRun.of(c.job())
            .args("--input=file:" + input, "--output=file:" + dir.resolve("out"))
            .args(c.flags())
            .args(runnerFlags())
            .ok();
    String stderr = run.stderr();

    Map<String, List<String>> expected = c.model().apply(events.lines());
    for (Map.Entry<String, List<String>> output : expected.entrySet()) {
      List<String> want = output.getValue().stream().sorted().toList();
      assertThat(
          c.job() + " output '" + output.getKey() + "'", run.lines(output.getKey()), equalTo(want));
    }
    assertThat(expected.get("").size(), greaterThan(0));
    // Every output the job wrote is one the model computes (or the dead letters), so none goes
    // uncompared.
    TreeSet<String> uncompared = new TreeSet<>(run.outputs().keySet());
    uncompared.removeAll(expected.keySet());
    uncompared.remove(".dead-letters");
    assertThat(c.job() + " outputs the model does not compute", uncompared, empty());

    List<BadInputCheck.Letter> malformed =
        events.malformedLineNumbers().stream()
            .map(n -> new BadInputCheck.Letter(String.valueOf(n), events.lines().get(n - 1)))
            .toList();
    BadInputCheck.deadLettersAre(c.job(), run.deadLetterLines(), malformed);

    // The end-of-run summary, from the run's counters: good + dead = input; out = every line
    // written. (Progress lines before it say the same words with the counts so far.)
    String summary =
        stderr
            .lines()
            .filter(l -> l.startsWith("sluice: " + c.job() + " finished on"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no end-of-run summary in: " + stderr));
    Matcher counts = COUNTS.matcher(summary);
    assertThat(summary, counts.find(), is(true));
    long read = number(counts.group(1));
    long parsed = number(counts.group(2));
    long dead = number(counts.group(3));
    long linesOut = run.deadLetterLines().size();
    for (String output : expected.keySet()) {
      linesOut += run.lines(output).size();
    }
    Matcher written = WRITTEN.matcher(summary);
    assertThat(summary, written.find(), is(true));
    long lines = events.lines().size();
    if (countersExact()) {
      assertThat(summary, read, equalTo(lines));
      assertThat(summary, parsed + dead, equalTo(read));
      assertThat(summary, dead, equalTo((long) malformed.size()));
      assertThat(summary, number(written.group(1)), equalTo(linesOut));
    } else {
      assertThat(summary, read, greaterThanOrEqualTo(lines));
      assertThat(summary, parsed, greaterThanOrEqualTo(lines - malformed.size()));
      assertThat(summary, dead, greaterThanOrEqualTo((long) malformed.size()));
      assertThat(summary, number(written.group(1)), greaterThanOrEqualTo(linesOut));
    }

    // Progress lines (if the run outlasted --progressEvery) never count more than the end.
    List<String> progress =
        stderr.lines().filter(l -> l.startsWith("sluice: " + c.job() + " running on")).toList();
    for (String line : progress) {
      Matcher so = COUNTS.matcher(line);
      if (so.find()) {
        assertThat(line, number(so.group(1)), lessThanOrEqualTo(read));
        assertThat(line, number(so.group(2)), lessThanOrEqualTo(parsed));
        assertThat(line, number(so.group(3)), lessThanOrEqualTo(dead));
      }
    }
    checkProgress(c, progress);
  }

  /**
   * Whether the runner's counters count each record exactly once (the default). A Spark cluster of
   * several executors counts at least once: two stages running at once on two executors may both
   * compute the same not yet cached partition, and a counter in a transformation counts it twice
   * (Spark's accumulators are exact only in actions); the outputs stay exact. Then the summary is
   * checked for lower bounds only.
   */
  protected boolean countersExact() {
    return true;
  }

  /** What a runner's progress lines must show besides counts; nothing by default. */
  protected void checkProgress(JobCase c, List<String> progressLines) {}

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }
}
