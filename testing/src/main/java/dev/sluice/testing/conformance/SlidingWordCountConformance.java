package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.launcher.Sluice;
import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.testing.JobRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.joda.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code word-count} on one runner, through the same command line users run, compared line for line
 * with {@link SlidingWordCountModel}. A runner module extends this class and says how to select its
 * runner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SlidingWordCountConformance {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Under the module's target/, so a failed run's input and output can be looked at. */
  private Path dir;

  private Path input;
  private List<String> inputLines;
  private SortedSet<Integer> malformedLineNumbers;
  private JobRun.Result run;

  /** The flags that select this runner, e.g. {@code --runner=flink}. */
  protected abstract List<String> runnerFlags();

  @BeforeAll
  void runSlidingWordCountOnce() throws IOException {
    dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "conformance")), getClass().getSimpleName());
    input = dir.resolve("in/lines.jsonl");
    WordLinesGenerator.Generated generated =
        WordLinesGenerator.create().seed(7).events(4_000).malformedShare(0.03).writeTo(input);
    inputLines = generated.lines();
    malformedLineNumbers = generated.malformedLineNumbers();
    run = runWordCount("file:" + input, dir.resolve("out/counts"), "10m", "1m");
  }

  @Test
  void slidingCountsEqualTheReferenceModelLineForLine() {
    assertThat(run.stderr(), run.exitCode(), is(Sluice.OK));
    List<String> expected =
        sorted(
            SlidingWordCountModel.compute(
                inputLines, Duration.standardMinutes(10), Duration.standardMinutes(1)));
    assertThat(expected.size(), greaterThan(1_000));
    // A list, not a set: a window fired twice would show up as a duplicate line.
    assertThat(run.lines(), equalTo(expected));
  }

  @Test
  void everyMalformedLineIsADeadLetterWithItsPositionAndReason() {
    assertThat(run.stderr(), run.exitCode(), is(Sluice.OK));
    TreeSet<String> expectedPositions = new TreeSet<>();
    malformedLineNumbers.forEach(n -> expectedPositions.add(input.toAbsolutePath() + ":" + n));
    assertThat(expectedPositions.size(), greaterThan(50));
    TreeSet<String> positions = new TreeSet<>();
    List<String> reasonless = new ArrayList<>();
    List<JsonNode> deadLetters = run.deadLetters();
    for (JsonNode node : deadLetters) {
      positions.add(node.get("source").asText() + ":" + node.get("position").asText());
      if (node.get("reason").asText().isBlank() || node.get("kind").asText().isBlank()) {
        reasonless.add(node.toString());
      }
      int lineNumber = Integer.parseInt(node.get("position").asText());
      assertThat(node.get("raw").asText(), equalTo(inputLines.get(lineNumber - 1)));
    }
    assertThat(deadLetters.size(), equalTo(expectedPositions.size()));
    assertThat(positions, equalTo(expectedPositions));
    assertThat(reasonless, is(empty()));
  }

  @Test
  void tumblingWindowsWhenThePeriodEqualsTheSize() throws IOException {
    Path small = dir.resolve("small/lines.jsonl.gz");
    List<String> lines = WordLinesGenerator.create().seed(11).events(600).lines();
    writeGzip(small, lines);
    JobRun.Result tumbling =
        runWordCount(
            "file:" + dir.resolve("small") + "/*.gz", dir.resolve("out/tumbling"), "5m", "5m");
    assertThat(tumbling.stderr(), tumbling.exitCode(), is(Sluice.OK));
    assertThat(
        tumbling.lines(),
        equalTo(
            sorted(
                SlidingWordCountModel.compute(
                    lines, Duration.standardMinutes(5), Duration.standardMinutes(5)))));
  }

  private JobRun.Result runWordCount(String inputUri, Path output, String size, String period) {
    return JobRun.of("word-count")
        .args(
            "--input=" + inputUri,
            "--output=file:" + output,
            "--windowSize=" + size,
            "--windowPeriod=" + period)
        .args(runnerFlags())
        .run();
  }

  private static List<String> sorted(List<String> lines) {
    return Stream.of(lines).flatMap(List::stream).sorted().toList();
  }

  private static void writeGzip(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
