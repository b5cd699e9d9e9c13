package dev.sluice.pipelines.logs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.transforms.Combine;
import org.junit.jupiter.api.Test;

class TrafficStatsTest {
  private static final Combine.CombineFn<AccessLog, ?, TrafficStats> SUMMARIZE =
      TrafficStats.summarize(LogAnalytics.CLIENT_SKETCH_LG_K);

  /** Client addresses of the shapes the logs carry: IPv4 and IPv6. */
  private static String client(int i) {
    return i % 7 == 0
        ? "2001:db8::" + Integer.toHexString(i)
        : "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
  }

  @Test
  void countsRequestsErrorsLatenciesAndClientsInOnePass() {
    TrafficStats stats =
        SUMMARIZE.apply(
            List.of(
                AccessLog.of(0, "s", "a", 200, 10),
                AccessLog.of(0, "s", "b", 503, 30),
                AccessLog.of(0, "s", "a", 500, null),
                AccessLog.of(0, "s", "c", 404, 20)));
    assertThat(stats.requests(), is(4L));
    assertThat(stats.errors(), is(2L));
    assertThat(stats.latencies(), equalTo(LatencyHistogram.of(10, 20, 30)));
    assertThat(stats.distinctClients(), is(3L));
  }

  @Test
  void theSameRequestsGiveTheSameStatsHoweverTheyAreSplitAndMerged() {
    List<AccessLog> requests = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      requests.add(
          AccessLog.of(
              i, "s", client(i % 120), i % 9 == 0 ? 502 : 200, i % 4 == 0 ? null : i % 50));
    }
    TrafficStats whole = SUMMARIZE.apply(requests);
    assertThat(whole.requests(), is(300L));
    assertThat(whole.errors(), is(34L)); // i = 0, 9, ..., 297
    assertThat(whole.distinctClients(), is(120L));
    CombineFnTester.testCombineFn(SUMMARIZE, requests, whole);

    TrafficStats firstHalf = SUMMARIZE.apply(requests.subList(0, 150));
    TrafficStats secondHalf = SUMMARIZE.apply(requests.subList(150, 300));
    assertThat(firstHalf.merge(secondHalf), equalTo(whole));
    assertThat(TrafficStats.sum(List.of(secondHalf, firstHalf)), equalTo(whole));
  }

  /**
   * The claim the output makes: up to 384 clients per group and window, the HyperLogLog estimate,
   * rounded, is the exact count, for every count (DataSketches' coupon modes at lgK 12).
   */
  @Test
  void distinctClientsAreExactForEveryCountUpTo384() {
    List<AccessLog> requests = new ArrayList<>();
    for (int n = 1; n <= TrafficStats.EXACT_CLIENTS; n++) {
      requests.add(AccessLog.of(0, "s", client(n), 200, 1));
      requests.add(AccessLog.of(0, "s", client(n), 200, 1)); // twice: distinct counts once
      assertThat("n = " + n, SUMMARIZE.apply(requests).distinctClients(), is((long) n));
    }
  }

  @Test
  void coderRoundTripsAndIsDeterministic() throws Exception {
    TrafficStats stats =
        SUMMARIZE.apply(
            List.of(AccessLog.of(0, "s", "a", 200, 10), AccessLog.of(0, "s", "b", 500, null)));
    CoderProperties.coderDecodeEncodeEqual(TrafficStats.Coder.of(), stats);
    TrafficStats sameInOtherOrder =
        SUMMARIZE.apply(
            List.of(AccessLog.of(0, "s", "b", 500, null), AccessLog.of(0, "s", "a", 200, 10)));
    CoderProperties.coderDeterministic(TrafficStats.Coder.of(), stats, sameInOtherOrder);
  }
}
