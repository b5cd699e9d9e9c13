package dev.sluice.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.testing.conformance.LauncherConformance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./sluice} on the DirectRunner as a newcomer meets it: the demo, the reference-model check
 * (inherited), and one clear line with a non-zero exit for each kind of mistake.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // each launcher run is bounded at 5 min
class DirectLauncherIT extends LauncherConformance {
  @Override
  protected String runner() {
    return "direct";
  }

  private static void assertOneErrorLine(Result result, String fragment) {
    assertThat(result.output(), result.exitCode(), equalTo(2));
    assertThat(result.output(), result.output().strip().lines().count(), equalTo(1L));
    assertThat(result.output(), containsString(fragment));
    assertThat(result.output(), not(containsString("Exception")));
  }

  @Test
  void theDemoStreamsAccessLogsThroughKafkaAndPrintsEachWindowAsItCloses() throws Exception {
    Result result = sluice("demo", "--seconds=10");
    assertThat(result.output(), result.exitCode(), equalTo(0));
    // A row: the window, a service, requests, errors, error rate, p95, distinct clients.
    assertThat(
        result.output(),
        matchesPattern(
            "(?s).*\\n09:00-09:10\\s+api\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\d %\\s+\\d+\\s+\\d+.*"));
    assertThat(result.output(), containsString("Still open"));
    assertThat(result.output(), containsString("Stopping the job and the broker"));
  }

  /**
   * A DirectRunner worker thread that runs out of heap once left the JVM hanging for hours: now the
   * JVM ends (status 3) and one line says what to do. 300 000 lines in hour-long windows every
   * minute hold far more state than 100 MB of heap, and the DirectRunner keeps that state in its
   * worker threads' shuffles.
   */
  @Test
  void aJvmOutOfHeapEndsWithOneLineOfAdvice() throws Exception {
    Path dir = workDir();
    Path input = dir.resolve("words.jsonl");
    Files.write(input, WordLinesGenerator.create().seed(5).events(300_000).lines());
    Result result =
        sluice(
            Map.of("JAVA_OPTS", "-Xmx100m"),
            "run",
            "word-count",
            "--input=file:" + input,
            "--output=file:" + dir + "/out/counts",
            "--windowSize=1h",
            "--windowPeriod=1m",
            "--progressEvery=off");
    assertThat(result.output(), result.exitCode(), equalTo(3));
    List<String> advice =
        result.output().lines().filter(l -> l.startsWith("sluice: the JVM ran out")).toList();
    assertThat(result.output(), advice.size(), equalTo(1));
    assertThat(advice.get(0), containsString("JAVA_OPTS=-Xmx8g"));
    assertThat(result.output(), containsString("OutOfMemoryError"));
  }

  @Test
  void aMissingInputFileIsOneLine() throws Exception {
    Path dir = workDir();
    assertOneErrorLine(
        sluice(
            "run",
            "word-count",
            "--input=file:" + dir + "/missing.jsonl",
            "--output=file:" + dir + "/out"),
        "--input: no file matches");
  }

  @Test
  void anUnknownPipelineIsOneLine() throws Exception {
    assertOneErrorLine(sluice("run", "no-such-job"), "unknown pipeline 'no-such-job'");
  }

  @Test
  void anUnknownFlagIsOneLine() throws Exception {
    assertOneErrorLine(sluice("run", "word-count", "--bogus=1"), "unknown flag --bogus");
  }

  @Test
  void aMalformedFlagIsOneLine() throws Exception {
    Path dir = workDir();
    Files.writeString(dir.resolve("in.jsonl"), "{\"ts\":1,\"text\":\"a\"}\n");
    assertOneErrorLine(
        sluice(
            "run",
            "word-count",
            "--input=file:" + dir + "/in.jsonl",
            "--output=file:" + dir + "/out",
            "--windowPeriod=soon"),
        "--windowPeriod: 'soon' is not a duration");
  }

  @Test
  void anUnknownRunnerIsOneLine() throws Exception {
    assertOneErrorLine(sluice("run", "word-count", "--runner=storm"), "unknown runner 'storm'");
  }
}
