package dev.sluice.runners.benchmarks.nativeflink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native Flink word count gives the plain-Java model's answer: the benchmark's baseline is
 * honest.
 */
class NativeFlinkWordCountTest {
  @Test
  void countsEqualTheModelAndEveryMalformedLineIsADeadLetter(@TempDir Path dir) throws Exception {
    GeneratedEvents events =
        Generators.named("words")
            .orElseThrow()
            .generate(
                GeneratorSettings.defaults()
                    .withEvents(20_000)
                    .withSeed(7)
                    .withMalformed(0.02)
                    .withLate(0.01, Duration.ofMinutes(30)));

    NativeFlinkRun run =
        NativeFlinkRun.of(
            new NativeFlinkWordCount(Duration.ofMinutes(10), Duration.ofMinutes(1)), events, dir);

    List<String> expected =
        new ArrayList<>(
            SlidingWordCountModel.compute(
                events.lines(),
                org.joda.time.Duration.standardMinutes(10),
                org.joda.time.Duration.standardMinutes(1)));
    expected.sort(null);
    assertTrue(expected.size() > 1_000, "a meaningful number of windows and words");
    assertEquals(expected, run.sortedLines("out"));
    assertEquals(events.malformedLineNumbers().size(), run.sortedLines("dead").size());
    assertTrue(events.malformedLineNumbers().size() > 100, "the input had malformed lines");
  }
}
