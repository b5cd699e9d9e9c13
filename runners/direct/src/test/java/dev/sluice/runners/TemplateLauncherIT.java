package dev.sluice.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.testing.OutputFiles;
import dev.sluice.testing.conformance.LauncherConformance;
import dev.sluice.testing.conformance.LauncherConformance.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./sluice template ...} in its own process, on the direct classpath, as a user types it.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // each launcher run is bounded at 5 min
class TemplateLauncherIT {
  private static Path workDir() throws Exception {
    return Files.createTempDirectory(
        Files.createDirectories(Path.of("target", "launcher").toAbsolutePath()), "template-");
  }

  private static void assertOneErrorLine(Result result, String fragment) {
    assertThat(result.output(), result.exitCode(), equalTo(2));
    assertThat(result.output(), result.output().strip().lines().count(), equalTo(1L));
    assertThat(result.output(), containsString(fragment));
    assertThat(result.output(), not(containsString("Exception")));
  }

  @Test
  void listAndDescribeReadTheCheckedInTemplates() throws Exception {
    Result list = LauncherConformance.sluice("template", "list");
    assertThat(list.output(), list.exitCode(), equalTo(0));
    assertThat(list.output(), containsString("risk-control-live"));
    Result describe = LauncherConformance.sluice("template", "describe", "risk-control-live");
    assertThat(describe.output(), describe.exitCode(), equalTo(0));
    assertThat(describe.output(), containsString("  maxTxnsPerCard <int>"));
  }

  @Test
  void aBadParameterIsOneLine() throws Exception {
    assertOneErrorLine(
        LauncherConformance.sluice(
            "template",
            "run",
            "trending-items-backfill",
            "--param",
            "source=file:/nowhere/*.jsonl",
            "--param",
            "output=file:/nowhere/out",
            "--param",
            "topN=many"),
        "parameter topN: 'many' is not an int");
  }

  @Test
  void aBackfillTemplateWritesTheModelsLines() throws Exception {
    Path dir = workDir();
    Path input = dir.resolve("in/lines.jsonl");
    List<String> lines =
        WordLinesGenerator.create()
            .seed(5)
            .events(1_000)
            .malformedShare(0.02)
            .writeTo(input)
            .lines();
    Result result =
        LauncherConformance.sluice(
            "template",
            "run",
            "word-count-backfill",
            "--param",
            "source=file:" + input,
            "--param",
            "output=file:" + dir.resolve("out/c"),
            "--param",
            "windowSize=10m",
            "--param",
            "windowPeriod=5m");
    assertThat(result.output(), result.exitCode(), equalTo(0));
    List<String> expected =
        SlidingWordCountModel.compute(
                lines, Duration.standardMinutes(10), Duration.standardMinutes(5))
            .stream()
            .sorted()
            .toList();
    assertThat(OutputFiles.sortedLines(dir.resolve("out/c")), equalTo(expected));
  }
}
