package dev.sluice.pipelines.iot;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.math.BigDecimal;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class ReadingStatsTest {
  private static SensorReading r(long ts, double value) {
    return new SensorReading(ts, "d", null, value);
  }

  @Test
  void summarizesCountMinMaxSumsAndLatestTime() {
    ReadingStats s = ReadingStats.of(r(5, 10), r(9, 12), r(7, 14));
    assertThat(s.count(), is(3L));
    assertThat(s.min(), is(10.0));
    assertThat(s.max(), is(14.0));
    assertThat(s.sum(), comparesEqualTo(new BigDecimal("36")));
    assertThat(s.sumOfSquares(), comparesEqualTo(new BigDecimal("440"))); // 100 + 144 + 196
    assertThat(s.lastSeenMillis(), is(9L));
    assertThat(s.mean(), equalTo(new BigDecimal("12.0000")));
    // sqrt((3 * 440 - 36^2) / (3 * 2)) = sqrt(24 / 6) = 2
    assertThat(s.sampleStdDev(), equalTo(new BigDecimal("2.0000")));
  }

  @Test
  void sumsAreExactWhateverTheOrder() {
    // In doubles, (0.1 + 0.2) + 0.3 = 0.6000000000000001 but 0.1 + (0.2 + 0.3) = 0.6.
    ReadingStats leftFirst =
        ReadingStats.of(r(1, 0.1), r(2, 0.2)).merge(ReadingStats.of(r(3, 0.3)));
    ReadingStats rightFirst =
        ReadingStats.of(r(1, 0.1)).merge(ReadingStats.of(r(2, 0.2), r(3, 0.3)));
    assertThat(leftFirst, equalTo(rightFirst));
    assertThat(leftFirst.sum(), equalTo(new BigDecimal("0.6")));
    assertThat(leftFirst.sumOfSquares(), equalTo(new BigDecimal("0.14"))); // 0.01 + 0.04 + 0.09
    assertThat(
        ReadingStats.combineFn()
            .mergeAccumulators(
                List.of(
                    ReadingStats.empty(),
                    ReadingStats.of(r(3, 0.3)),
                    ReadingStats.empty(),
                    ReadingStats.of(r(2, 0.2), r(1, 0.1)))),
        equalTo(leftFirst));
  }

  @Test
  void theMeanIsRoundedHalfEvenToFourDecimals() {
    assertThat(
        ReadingStats.of(r(0, 1), r(0, 1), r(0, 2)).mean(), equalTo(new BigDecimal("1.3333")));
    assertThat(
        ReadingStats.of(r(0, 2), r(0, 2), r(0, 1)).mean(), equalTo(new BigDecimal("1.6667")));
    // 0.00005 is halfway: to the even 0.0000; 0.00015 is halfway: to the even 0.0002.
    assertThat(ReadingStats.of(r(0, 0.0001), r(0, 0)).mean(), equalTo(new BigDecimal("0.0000")));
    assertThat(ReadingStats.of(r(0, 0.0003), r(0, 0)).mean(), equalTo(new BigDecimal("0.0002")));
  }

  @Test
  void coderRoundTripsDeterministically() throws Exception {
    ReadingStats s = ReadingStats.of(r(1, -2.5), r(3, 1e-7), r(2, 1e10));
    CoderProperties.coderDecodeEncodeEqual(ReadingStats.Coder.of(), s);
    CoderProperties.coderDecodeEncodeEqual(ReadingStats.Coder.of(), ReadingStats.empty());
    CoderProperties.coderDeterministic(
        ReadingStats.Coder.of(), s, ReadingStats.of(r(1, -2.5), r(3, 1e-7), r(2, 1e10)));
    CoderProperties.coderDecodeEncodeEqual(WindowStats.Coder.of(), new WindowStats(0, 60_000, s));
    CoderProperties.coderDecodeEncodeEqual(DeviceKey.Coder.of(), new DeviceKey("dev-1", 3));
  }
}
