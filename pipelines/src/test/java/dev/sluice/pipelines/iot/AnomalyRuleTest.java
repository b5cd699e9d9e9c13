package dev.sluice.pipelines.iot;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AnomalyRuleTest {
  /** Baseline 10, 12, 14: mean 12, sample standard deviation 2. */
  private static final ReadingStats BASELINE = stats(10, 12, 14);

  private static ReadingStats stats(double... values) {
    ReadingStats s = ReadingStats.empty();
    for (double v : values) {
      s = s.plus(new SensorReading(0, "d", null, v));
    }
    return s;
  }

  @Test
  void aReadingFarAboveTheBaselineIsAnAnomaly() {
    // |30 - 12| / 2 = 9 standard deviations.
    AnomalyRule.Evidence e = AnomalyRule.of(2, 3).judge(stats(11, 30), BASELINE);
    assertThat(e.reading(), is(30.0));
    assertThat(e.zScore(), equalTo(new BigDecimal("9.0000")));
  }

  @Test
  void theReadingFurthestFromTheMeanIsJudged() {
    // max 13 is 0.5 sd above, min 3 is 4.5 sd below: the min is judged.
    AnomalyRule.Evidence e = AnomalyRule.of(4, 3).judge(stats(3, 13), BASELINE);
    assertThat(e.reading(), is(3.0));
    assertThat(e.zScore(), equalTo(new BigDecimal("4.5000")));
    // max 16 and min 8 are both 2 sd away: the max is judged.
    assertThat(AnomalyRule.of(1, 3).judge(stats(8, 16), BASELINE).reading(), is(16.0));
  }

  @Test
  void exactlyTheThresholdIsNotAnAnomaly() {
    // z is exactly 9: not above a factor of 9, above 8.9999.
    assertThat(AnomalyRule.of(9, 3).judge(stats(30), BASELINE), nullValue());
    assertThat(
        AnomalyRule.of(8.9999, 3).judge(stats(30), BASELINE).zScore(),
        equalTo(new BigDecimal("9.0000")));
  }

  @Test
  void aBaselineTooSmallOrFlatFlagsNothing() {
    assertThat(AnomalyRule.of(2, 4).judge(stats(30), BASELINE), nullValue()); // 3 < 4 readings
    assertThat(AnomalyRule.of(2, 2).judge(stats(30), stats(5, 5, 5)), nullValue()); // sd 0
  }

  @Test
  void zScoresAreRoundedToFourDecimals() {
    // Baseline 0, 1: mean 0.5, sd sqrt(0.5); reading 2 is 1.5 / 0.70710678... = 2.12132034... sd.
    assertThat(
        AnomalyRule.of(2, 2).judge(stats(2), stats(0, 1)).zScore(),
        equalTo(new BigDecimal("2.1213")));
  }

  @Test
  void refusesAFactorOrBaselineSizeThatMeansNothing() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> AnomalyRule.of(0, 5)).getMessage(),
        containsString("factor must be a finite number above 0, was 0.0"));
    assertThrows(IllegalArgumentException.class, () -> AnomalyRule.of(Double.NaN, 5));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> AnomalyRule.of(3, 1)).getMessage(),
        containsString("minBaselineReadings must be at least 2"));
  }
}
