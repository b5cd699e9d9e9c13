package dev.sluice.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.launcher.Sluice;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness reads what a run wrote and counted, checked against what the input must give. */
class JobRunTest {
  private static final List<String> INPUT =
      List.of(
          "{\"ts\":\"2026-01-01T00:00:10Z\",\"text\":\"to be or not to be\"}",
          "not json",
          "{\"ts\":\"2026-01-01T00:03:00Z\",\"text\":\"be quick\"}",
          "{\"text\":\"no time\"}");

  @TempDir Path dir;

  @Test
  void aJobsOutputsDeadLettersAndCounters() throws Exception {
    Path input = Files.write(dir.resolve("in.jsonl"), INPUT, StandardCharsets.UTF_8);
    JobRun.Result run =
        JobRun.of("word-count")
            .args(
                "--input=file:" + input,
                "--output=file:" + dir.resolve("out/counts"),
                "--windowSize=5m",
                "--windowPeriod=5m",
                "--progressEvery=off")
            .ok();

    List<String> expected =
        SlidingWordCountModel.compute(
                INPUT, Duration.standardMinutes(5), Duration.standardMinutes(5))
            .stream()
            .sorted()
            .toList();
    assertThat(expected.size(), greaterThan(3));
    assertThat(run.lines(), equalTo(expected));
    List<JsonNode> dead = run.deadLetters();
    assertThat(
        dead.stream().map(d -> d.get("position").asText()).sorted().toList(),
        equalTo(List.of("2", "4")));
    assertThat(run.outputs().keySet(), equalTo(java.util.Set.of("", ".dead-letters")));
    assertThat(run.outputs().get(".dead-letters"), equalTo(run.deadLetterLines()));
    assertThat(run.counts().read(), equalTo(4L));
    assertThat(run.counts().parsed(), equalTo(2L));
    assertThat(run.counts().deadLetters(), equalTo(2L));
    long byKind = run.counts().deadLettersByKind().values().stream().mapToLong(n -> n).sum();
    assertThat(byKind, equalTo(2L));
    assertThat(run.counts().written(), equalTo((long) expected.size() + 2));
    assertThat(run.stdout(), equalTo(""));
  }

  @Test
  void aTemplatesOutputsAreReadWhereItsParametersPutThem() throws Exception {
    Path input = Files.write(dir.resolve("in.jsonl"), INPUT, StandardCharsets.UTF_8);
    JobRun.Result run =
        JobRun.template(
                "word-count-backfill",
                "--templates=" + Path.of("..", "templates"),
                "--param",
                "source=file:" + input,
                "--param",
                "output=file:" + dir.resolve("t/counts"),
                "--param",
                "windowSize=5m",
                "--param",
                "windowPeriod=5m")
            .ok();
    assertThat(
        run.lines(),
        equalTo(
            SlidingWordCountModel.compute(
                    INPUT, Duration.standardMinutes(5), Duration.standardMinutes(5))
                .stream()
                .sorted()
                .toList()));
    assertThat(run.deadLetterLines().size(), equalTo(2));
  }

  @Test
  void aRunRefusedBeforeLaunchHasItsOneLineAndNoJob() {
    JobRun.Result run = JobRun.of("word-count").args("--input=file:" + dir.resolve("x")).run();
    assertThat(run.exitCode(), equalTo(Sluice.USAGE));
    assertThat(run.launched(), equalTo(false));
    assertThat(run.error(), startsWith("sluice: "));
    assertThat(run.error(), containsString("--output"));
    assertThat(run.counts().known(), equalTo(false));
    assertThat(OutputFiles.writtenIn(dir, dir.resolve("none")), empty());
  }

  @Test
  void anotherCommandsStdout() {
    JobRun.Result run = JobRun.command("list").ok();
    assertThat(run.stdout(), containsString("word-count"));
    assertThat(run.launched(), equalTo(false));
  }
}
