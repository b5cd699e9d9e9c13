package dev.sluice.runners.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a stream run is judged: its lines against the model's, latency figures, kept up or not. */
class StreamBenchTest {
  private static final Map<String, List<String>> MODEL =
      Map.of("", List.of("a", "b", "b"), ".alerts", List.of("x"));

  @Test
  void aRunThatFellBehindWroteOnlyLinesTheModelHas() {
    assertTrue(StreamBench.eachLineExpected(Map.of("", List.of("b", "a")), MODEL));
    assertTrue(
        StreamBench.eachLineExpected(
            Map.of("", List.of("b", "a", "b"), ".alerts", List.of("x")), MODEL));
  }

  @Test
  void aWrongOrRepeatedLineDiffers() {
    assertFalse(StreamBench.eachLineExpected(Map.of("", List.of("c")), MODEL));
    assertFalse(StreamBench.eachLineExpected(Map.of("", List.of("a", "a")), MODEL));
    assertFalse(StreamBench.eachLineExpected(Map.of(".alerts", List.of("a")), MODEL));
  }

  @Test
  void percentilesAreNearestRankOfTheSortedLatencies() {
    long[] latencies = new long[100];
    for (int i = 0; i < 100; i++) {
      latencies[i] = (i + 1) * 10L;
    }
    StreamBench.Run run = run(latencies, 0, 0, 100, 100);
    assertEquals(500, run.percentile(50));
    assertEquals(990, run.percentile(99));
    assertEquals(1_000, run.percentile(100));
  }

  @Test
  void keptUpOnlyWithEveryResultNoLatencyGrowthAndAFeedOnSchedule() {
    long[] latencies = {1_200, 1_300};
    assertEquals("yes", run(latencies, 0, 200, 10, 10).verdict());
    assertEquals("no: 3 results missing", run(latencies, 0, 200, 7, 10).verdict());
    assertEquals("no: latency grew 2.5 s", run(latencies, 2_500, 200, 10, 10).verdict());
    assertEquals("no: the feed fell 1.5 s behind", run(latencies, 0, 1_500, 10, 10).verdict());
    assertFalse(StreamBench.Run.notRun(100, "sluice: refused").keptUp());
  }

  private static StreamBench.Run run(
      long[] latencies, long growth, long feedBehind, long checked, long expected) {
    return new StreamBench.Run(
        1_000, null, 20_000, checked, expected, true, feedBehind, latencies, growth, 10, 1 << 20);
  }
}
