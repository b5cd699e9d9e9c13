package dev.sluice.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.sluice.launcher.generate.WordLinesGenerator;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.testing.JobRun;
import dev.sluice.testing.OutputFiles;
import dev.sluice.testing.conformance.BadInputCheck;
import dev.sluice.testing.generate.BadRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input at volume: 10^6 records of which exactly 1 % (10 000) are bad, spread over six kinds,
 * through word-count on SparkRunner local[2]. Every bad record is a dead letter of its kind at its
 * line, the good results equal a run over the clean records alone and the plain-Java model, and the
 * counts add up. Prints the figures.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES) // about 1 min on 2 cores
class BadInputVolumeIT {
  private static final int RECORDS = 1_000_000;
  private static final int BAD = RECORDS / 100;

  /** Smaller than the 1 MiB default so that 1 667 oversize records stay a few MiB of test data. */
  private static final int LIMIT = 4_096;

  private static final List<String> FLAGS =
      List.of(
          "--runner=spark",
          "--sparkMaster=local[2]",
          "--windowSize=10m",
          "--windowPeriod=5m",
          "--maxRecordBytes=" + LIMIT,
          "--progressEvery=off");

  @Test
  void everyBadRecordOfAMillionIsADeadLetterAndTheGoodResultsEqualTheCleanRun() throws IOException {
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "bad-input-volume")), "run-");
    long t0 = System.nanoTime();
    List<String> clean =
        WordLinesGenerator.create()
            .seed(2026)
            .events(RECORDS - BAD)
            .span(Instant.parse("2026-01-01T00:00:00Z"), 6 * 3_600_000L)
            .lines();
    Path cleanFile = dir.resolve("clean/in.jsonl");
    Files.createDirectories(cleanFile.getParent());
    Files.write(cleanFile, clean, StandardCharsets.UTF_8);
    Path dirtyFile = dir.resolve("dirty/in.jsonl");
    BadRecords.Injected injected =
        BadRecords.forFields("ts", "text")
            .withSeed(99)
            .withMaxRecordBytes(LIMIT)
            .writeDirty(clean, BAD, dirtyFile);
    double generateSeconds = seconds(t0);
    assertThat(injected.lines(), equalTo((long) RECORDS));
    assertThat((long) injected.expected().size(), equalTo((long) BAD));

    // The clean run first: the first Spark run in a JVM also pays for starting Spark.
    t0 = System.nanoTime();
    String cleanRun = run(cleanFile);
    double cleanSeconds = seconds(t0);
    t0 = System.nanoTime();
    String dirtyRun = run(dirtyFile);
    double dirtySeconds = seconds(t0);
    t0 = System.nanoTime();
    List<String> model =
        SlidingWordCountModel.compute(
                clean, Duration.standardMinutes(10), Duration.standardMinutes(5))
            .stream()
            .sorted()
            .toList();
    double modelSeconds = seconds(t0);

    List<String> dirtyResults = OutputFiles.sortedLines(dirtyFile.resolveSibling("out"));
    assertThat(dirtyResults.size(), greaterThan(0));
    assertThat(
        "dirty run = clean run",
        dirtyResults,
        equalTo(OutputFiles.sortedLines(cleanFile.resolveSibling("out"))));
    assertThat("dirty run = model", dirtyResults, equalTo(model));
    assertThat(
        "no dead letters from clean data",
        OutputFiles.sortedLines(cleanFile.resolveSibling("out.dead-letters")),
        equalTo(List.of()));

    BadInputCheck.deadLettersAreTheInjectedRecords(
        dirtyFile.resolveSibling("out.dead-letters"), injected, LIMIT);
    BadInputCheck.Counts counts = BadInputCheck.summaryCounts(dirtyRun, "word-count");
    BadInputCheck.countsAddUp(counts, injected);
    BadInputCheck.Counts cleanCounts = BadInputCheck.summaryCounts(cleanRun, "word-count");
    assertThat(cleanCounts.parsed(), equalTo(counts.parsed()));

    System.out.printf(
        "bad input at volume (word-count, SparkRunner local[2]): %,d records in, %,d bad injected"
            + " %s; %,d parsed, %,d dead letters %s; %,d result lines; generate %.1f s, clean run"
            + " %.1f s (first), dirty run %.1f s, model %.1f s%n",
        counts.read(),
        injected.expected().size(),
        injected.countsByKind(),
        counts.parsed(),
        counts.deadLetters(),
        counts.byKind(),
        dirtyResults.size(),
        generateSeconds,
        cleanSeconds,
        dirtySeconds,
        modelSeconds);
    // About 180 MB of input: gone once it has passed (a failed run keeps it to look at).
    Files.delete(cleanFile);
    Files.delete(dirtyFile);
  }

  private static String run(Path input) {
    return JobRun.of("word-count")
        .args("--input=file:" + input, "--output=file:" + input.resolveSibling("out"))
        .args(FLAGS)
        .ok()
        .stderr();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
