package dev.sluice.testing.launcher;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.sluice.launcher.Sluice;
import dev.sluice.testing.JobRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees: one clear line on stderr and the right exit code for every mistake. */
class SluiceTest {
  @TempDir Path dir;
  private Path input;
  private String out;
  private String err;

  @BeforeEach
  void writeInput() throws Exception {
    input = dir.resolve("in.jsonl");
    Files.writeString(input, "{\"ts\":\"2026-01-01T00:00:00Z\",\"text\":\"hello hello\"}\n");
  }

  private int sluice(String... args) {
    JobRun.Result run = JobRun.command(args).run();
    out = run.stdout();
    err = run.stderr();
    return run.exitCode();
  }

  private void assertOneErrorLine(String... fragments) {
    assertThat(err.strip().lines().count(), equalTo(1L));
    assertThat(err, startsWith("sluice: "));
    assertThat(err, not(containsString("\tat ")));
    for (String fragment : fragments) {
      assertThat(err, containsString(fragment));
    }
  }

  @Test
  void listNamesEveryJob() {
    assertThat(sluice("list"), equalTo(Sluice.OK));
    assertThat(out, containsString("word-count"));
  }

  @Test
  void helpShowsEachOptionWithItsDescriptionAndDefault() {
    assertThat(sluice("run", "word-count", "--help"), equalTo(Sluice.OK));
    assertThat(out, containsString("--windowSize=<String>"));
    assertThat(out, containsString("Default: 10m"));
    assertThat(out, containsString("--input=<String>"));
    assertThat(out, containsString("Required."));
    assertThat(out, containsString("--runner=direct|flink|spark"));
  }

  @Test
  void anUnknownPipelineIsOneLineAndExitTwo() {
    assertThat(sluice("run", "word-cuont"), equalTo(Sluice.USAGE));
    assertOneErrorLine("unknown pipeline 'word-cuont'", "word-count");
  }

  @Test
  void aBadProgressIntervalIsOneLineNamingTheFlag() {
    assertThat(
        sluice(
            "run",
            "word-count",
            "--input=file:" + input,
            "--output=file:" + dir.resolve("o"),
            "--progressEvery=often"),
        equalTo(Sluice.USAGE));
    assertOneErrorLine("--progressEvery", "'often'", "or off");
  }

  @Test
  void aBadAllowedLatenessIsOneLineNamingTheFlag() {
    assertThat(
        sluice(
            "run",
            "word-count",
            "--input=file:" + input,
            "--output=file:" + dir.resolve("o"),
            "--allowedLateness=-5m"),
        equalTo(Sluice.USAGE));
    assertOneErrorLine("--allowedLateness", "'-5m'", "or 0 to drop late records");
  }

  @Test
  void anUnknownCommandIsOneLine() {
    assertThat(sluice("frobnicate"), equalTo(Sluice.USAGE));
    assertOneErrorLine("unknown command 'frobnicate'");
  }

  @Test
  void anUnknownFlagIsNamed() {
    assertThat(
        sluice(
            "run",
            "word-count",
            "--input=file:" + input,
            "--output=file:" + dir + "/o",
            "--windowSise=5m"),
        equalTo(Sluice.USAGE));
    assertOneErrorLine("unknown flag --windowSise for word-count");
  }

  @Test
  void aMalformedFlagIsNamed() {
    assertThat(
        sluice(
            "run",
            "word-count",
            "--input=file:" + input,
            "--output=file:" + dir + "/o",
            "--numShards=many"),
        equalTo(Sluice.USAGE));
    assertOneErrorLine("--numShards: 'many' is not a valid int");
  }

  @Test
  void anEmptyNumberIsNamedEvenBesideAnEmptyTextFlag() {
    // Beam's message names only the type (int); --deadLetters= (text, allowed empty) is not it.
    assertThat(
        sluice(
            "run",
            "word-count",
            "--input=file:" + input,
            "--output=file:" + dir + "/o",
            "--deadLetters=",
            "--numShards="),
        equalTo(Sluice.USAGE));
    assertOneErrorLine("--numShards: the value is empty; expected a whole number");
  }

  @Test
  void aFlagWithoutDashesIsRefused() {
    assertThat(sluice("run", "word-count", "input=x"), equalTo(Sluice.USAGE));
    assertOneErrorLine("input=x");
  }

  @Test
  void aBadDurationNamesTheFlagAndTheFormat() {
    assertThat(
        sluice(
            "run",
            "word-count",
            "--input=file:" + input,
            "--output=file:" + dir + "/o",
            "--windowSize=ten minutes"),
        equalTo(Sluice.USAGE));
    assertOneErrorLine("--windowSize: 'ten minutes' is not a duration", "10m");
  }

  @Test
  void aPeriodLongerThanTheWindowIsRefused() {
    assertThat(
        sluice(
            "run",
            "word-count",
            "--input=file:" + input,
            "--output=file:" + dir + "/o",
            "--windowSize=1m",
            "--windowPeriod=5m"),
        equalTo(Sluice.USAGE));
    assertOneErrorLine("--windowPeriod: 5m is longer than --windowSize 1m");
  }

  @Test
  void aMissingInputIsNamedBeforeLaunch() {
    assertThat(
        sluice(
            "run",
            "word-count",
            "--input=file:" + dir + "/nope/*.jsonl",
            "--output=file:" + dir + "/o"),
        equalTo(Sluice.USAGE));
    assertOneErrorLine("--input: no file matches 'file:" + dir + "/nope/*.jsonl'");
    assertThat(Files.exists(dir.resolve("o-00000-of-00001.jsonl")), equalTo(false));
  }

  @Test
  void aMissingRequiredFlagIsNamed() {
    assertThat(sluice("run", "word-count", "--input=file:" + input), equalTo(Sluice.USAGE));
    assertOneErrorLine("--output");
  }

  @Test
  void aRunnerThatIsNotOnTheClasspathIsRefusedWithAHint() {
    assertThat(
        sluice(
            "run",
            "word-count",
            "--input=file:" + input,
            "--output=file:" + dir + "/o",
            "--runner=flink"),
        equalTo(Sluice.USAGE));
    assertOneErrorLine("FlinkRunner", "./sluice");
  }

  @Test
  void aGoodRunWritesTheCountsAndReportsWhereItRan() throws Exception {
    assertThat(
        sluice(
            "run",
            "word-count",
            "--input=file:" + input,
            "--output=file:" + dir + "/o",
            "--windowSize=1m",
            "--windowPeriod=1m",
            "--numShards=1"),
        equalTo(Sluice.OK));
    assertThat(err, containsString("word-count finished on DirectRunner"));
    assertThat(
        Files.readString(dir.resolve("o-00000-of-00001.jsonl")).strip(),
        equalTo(
            "{\"word\":\"hello\",\"count\":2,\"window_start\":\"2026-01-01T00:00:00Z\","
                + "\"window_end\":\"2026-01-01T00:01:00Z\",\"pane\":\"ON_TIME\",\"pane_index\":0,\"final\":true}"));
  }
}
