package dev.sluice.pipelines.logs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.transforms.Combine;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void percentilesAreNearestRank() {
    LatencyHistogram h = LatencyHistogram.of(40, 10, 30, 20);
    assertThat(h.percentile(50), is(20)); // rank ceil(0.50 * 4) = 2
    assertThat(h.percentile(95), is(40)); // rank ceil(0.95 * 4) = 4
    assertThat(h.percentile(99), is(40));
    assertThat(h.percentile(1), is(10)); // rank ceil(0.01 * 4) = 1
    assertThat(h.percentile(25), is(10)); // rank 1 exactly
    assertThat(h.percentile(26), is(20)); // rank ceil(1.04) = 2
    assertThat(h.percentile(100), is(40));
  }

  @Test
  void percentilesOfOneToAHundredAreThemselves() {
    LatencyHistogram h = LatencyHistogram.empty();
    for (int ms = 100; ms >= 1; ms--) {
      h.add(ms);
    }
    assertThat(h.percentile(50), is(50));
    assertThat(h.percentile(95), is(95));
    assertThat(h.percentile(99), is(99));
    assertThat(h.count(), is(100L));
  }

  @Test
  void repeatedValuesShareABucket() {
    LatencyHistogram h = LatencyHistogram.of(5, 5, 5, 100);
    assertThat(h.percentile(50), is(5)); // rank 2
    assertThat(h.percentile(75), is(5)); // rank 3
    assertThat(h.percentile(76), is(100)); // rank ceil(3.04) = 4
  }

  @Test
  void mergeCountsBothWithoutChangingEither() {
    LatencyHistogram a = LatencyHistogram.of(1, 2);
    LatencyHistogram b = LatencyHistogram.of(2, 9);
    assertThat(a.merge(b), equalTo(LatencyHistogram.of(1, 2, 2, 9)));
    assertThat(a, equalTo(LatencyHistogram.of(1, 2)));
    assertThat(a.merge(b).percentile(50), is(2));
  }

  @Test
  void anEmptyHistogramHasNoPercentileAndNegativeLatenciesAreRefused() {
    assertThrows(IllegalStateException.class, () -> LatencyHistogram.empty().percentile(50));
    assertThrows(IllegalArgumentException.class, () -> LatencyHistogram.of(1).percentile(0));
    assertThrows(IllegalArgumentException.class, () -> LatencyHistogram.of(-1));
  }

  @Test
  void theCombineFnLeavesOutRequestsWithoutLatency() {
    Combine.CombineFn<AccessLog, LatencyHistogram, LatencyHistogram> fn =
        LatencyHistogram.ofRequests();
    LatencyHistogram h =
        fn.apply(
            List.of(
                AccessLog.of(0, "s", "a", 200, 7),
                AccessLog.of(0, "s", "b", 200, null),
                AccessLog.of(0, "s", "c", 500, 3)));
    assertThat(h, equalTo(LatencyHistogram.of(3, 7)));
  }

  @Test
  void coderRoundTripsAndIsDeterministic() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(LatencyHistogram.Coder.of(), LatencyHistogram.empty());
    CoderProperties.coderDecodeEncodeEqual(
        LatencyHistogram.Coder.of(), LatencyHistogram.of(0, 3, 3, 3_600_000));
    CoderProperties.coderDeterministic(
        LatencyHistogram.Coder.of(), LatencyHistogram.of(9, 1, 5), LatencyHistogram.of(5, 9, 1));
  }
}
