package dev.sluice.pipelines.logs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.sluice.transforms.combine.CombineSteps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.transforms.Combine;
import org.junit.jupiter.api.Test;

/**
 * A service's requests combined per status class in one accumulator give, per class, what {@link
 * TrafficStats#summarize} gives over that class's requests alone, and as total what it gives over
 * them all.
 */
class ServiceTrafficTest {
  private static final int LG_K = LogAnalytics.CLIENT_SKETCH_LG_K;
  private static final Combine.CombineFn<AccessLog, ?, TrafficStats> STATS =
      TrafficStats.summarize(LG_K);

  private static List<AccessLog> requests(int n, int offset) {
    List<AccessLog> requests = new ArrayList<>();
    for (int i = offset; i < offset + n; i++) {
      int status = i % 9 == 0 ? 503 : i % 5 == 0 ? 404 : i % 7 == 0 ? 301 : 200;
      requests.add(
          AccessLog.of(i, "s", "10.0." + (i % 40) + ".1", status, i % 4 == 0 ? null : i % 50));
    }
    return requests;
  }

  private static List<AccessLog> ofClass(List<AccessLog> requests, String statusClass) {
    return requests.stream().filter(r -> r.statusClass().equals(statusClass)).toList();
  }

  @Test
  void eachClassAndTheTotalEqualTheStatsOfTheirOwnRequests() {
    List<AccessLog> requests = requests(300, 0);
    ServiceTraffic traffic = ServiceTraffic.summarize(LG_K).apply(requests);
    assertThat(traffic.byStatusClass().keySet(), contains("2xx", "3xx", "4xx", "5xx"));
    for (Map.Entry<String, TrafficStats> group : traffic.byStatusClass().entrySet()) {
      assertThat(
          group.getKey(),
          group.getValue(),
          equalTo(STATS.apply(ofClass(requests, group.getKey()))));
    }
    assertThat(traffic.total(), equalTo(STATS.apply(requests)));
    CombineFnTester.testCombineFn(ServiceTraffic.summarize(LG_K), requests, traffic);
  }

  /**
   * As {@code SlicedSlidingCombine} merges a slice into each of its windows: merging an accumulator
   * into others never changes it, also for a class the first accumulator lacks.
   */
  @Test
  void anAccumulatorMergedIntoSeveralWindowsStaysAsItWas() {
    ServiceTraffic.SummarizeFn fn =
        new ServiceTraffic.SummarizeFn(new TrafficStats.SummarizeFn(LG_K));
    Combine.CombineFn<Map<String, Object[]>, Map<String, Object[]>, ServiceTraffic> windows =
        CombineSteps.merge(fn, AccessLog.Coder.of());
    Map<String, Object[]> shared = fn.createAccumulator();
    for (AccessLog request : requests(100, 0)) {
      shared = fn.addInput(shared, request);
    }
    ServiceTraffic sharedBefore = fn.extractOutput(shared);
    for (int window = 0; window < 2; window++) {
      Map<String, Object[]> other = fn.createAccumulator();
      for (AccessLog request : requests(100, 100 * (window + 1))) {
        other = fn.addInput(other, request);
      }
      Map<String, Object[]> merged = windows.createAccumulator();
      merged = windows.addInput(merged, shared);
      merged = windows.addInput(merged, other);
      List<AccessLog> both = new ArrayList<>(requests(100, 0));
      both.addAll(requests(100, 100 * (window + 1)));
      assertThat(windows.extractOutput(merged).total(), equalTo(STATS.apply(both)));
    }
    assertThat(fn.extractOutput(shared), equalTo(sharedBefore));
  }

  @Test
  void coderRoundTripsAndIsDeterministic() throws Exception {
    ServiceTraffic traffic = ServiceTraffic.summarize(LG_K).apply(requests(50, 0));
    CoderProperties.coderDecodeEncodeEqual(ServiceTraffic.Coder.of(), traffic);
    List<AccessLog> reversed = new ArrayList<>(requests(50, 0));
    Collections.reverse(reversed);
    ServiceTraffic sameInOtherOrder = ServiceTraffic.summarize(LG_K).apply(reversed);
    CoderProperties.coderDeterministic(ServiceTraffic.Coder.of(), traffic, sameInOtherOrder);
  }
}
