package dev.sluice.runners.benchmarks.nativeflink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.launcher.generate.GeneratedEvents;
import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.launcher.generate.Generators;
import dev.sluice.pipelines.logs.LogAnalyticsModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native Flink log analytics gives the plain-Java model's answer: the benchmark's baseline is
 * honest.
 */
class NativeFlinkLogAnalyticsTest {
  @Test
  void resultsAndAlertsEqualTheModelAndEveryMalformedLineIsADeadLetter(@TempDir Path dir)
      throws Exception {
    GeneratedEvents events =
        Generators.named("access-logs")
            .orElseThrow()
            .generate(
                GeneratorSettings.defaults()
                    .withEvents(20_000)
                    .withSeed(7)
                    .withMalformed(0.03)
                    .withLate(0.01, Duration.ofMinutes(30)));

    NativeFlinkRun run =
        NativeFlinkRun.of(
            new NativeFlinkLogAnalytics(Duration.ofMinutes(5), Duration.ofMinutes(1), 0.05, 20),
            events,
            dir);

    Map<String, List<String>> expected =
        LogAnalyticsModel.compute(
            events.lines(),
            org.joda.time.Duration.standardMinutes(5),
            org.joda.time.Duration.standardMinutes(1),
            0.05,
            20);
    List<String> results = sorted(expected.get(""));
    List<String> alerts = sorted(expected.get(".alerts"));
    assertTrue(results.size() > 1_000, "a meaningful number of windows, services and classes");
    assertFalse(alerts.isEmpty(), "the 5xx bursts raise error-rate alerts");
    assertEquals(results, run.sortedLines("out"));
    assertEquals(alerts, run.sortedLines("alerts"));
    assertEquals(events.malformedLineNumbers().size(), run.sortedLines("dead").size());
    assertTrue(events.malformedLineNumbers().size() > 100, "the input had malformed lines");
    assertFalse(events.lateLineNumbers().isEmpty(), "the input had late lines");
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    copy.sort(null);
    return copy;
  }
}
