package dev.sluice.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationSpecTest {
  @Test
  void parsesEveryUnit() {
    assertThat(DurationSpec.parse("x", "250ms"), equalTo(Duration.millis(250)));
    assertThat(DurationSpec.parse("x", "30s"), equalTo(Duration.standardSeconds(30)));
    assertThat(DurationSpec.parse("x", "10m"), equalTo(Duration.standardMinutes(10)));
    assertThat(DurationSpec.parse("x", " 2H "), equalTo(Duration.standardHours(2)));
    assertThat(DurationSpec.parse("x", "3d"), equalTo(Duration.standardDays(3)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "m", "1.5m", "-1m", "10 m", "10min", "ten"})
  void refusesWhatIsNotADurationNamingTheFlagAndTheValue(String text) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DurationSpec.parse("--windowSize", text));
    assertThat(e.getMessage(), containsString("--windowSize: '" + text + "'"));
    assertThat(e.getMessage(), containsString("e.g. 30s, 10m, 1h"));
  }

  @Test
  void refusesZero() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DurationSpec.parse("--every", "0s"));
    assertThat(e.getMessage(), containsString("longer than zero"));
  }

  @Test
  void refusesADurationTooLongForItsMillisecondsInsteadOfOverflowing() {
    // Long.MAX_VALUE ms is 106 751 991 167 days and a bit.
    assertThat(
        DurationSpec.parse("x", "106751991167d"), equalTo(Duration.standardDays(106_751_991_167L)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DurationSpec.parse("--windowSize", "106751991168d"));
    assertThat(
        e.getMessage(),
        equalTo("--windowSize: '106751991168d' is too long; a duration is at most 106751991167d"));
  }

  @Test
  void parseOrZeroTakesZeroInAnyUnitAndRefusesTheRestAsParseDoes() {
    assertThat(DurationSpec.parseOrZero("x", "0"), equalTo(Duration.ZERO));
    assertThat(DurationSpec.parseOrZero("x", " 0h "), equalTo(Duration.ZERO));
    assertThat(DurationSpec.parseOrZero("x", "5m"), equalTo(Duration.standardMinutes(5)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DurationSpec.parseOrZero("--lateness", "-5m"));
    assertThat(e.getMessage(), containsString("--lateness: '-5m'"));
  }

  @Test
  void formatsInTheLargestExactUnit() {
    assertThat(DurationSpec.format(Duration.standardMinutes(90)), equalTo("90m"));
    assertThat(DurationSpec.format(Duration.standardHours(48)), equalTo("2d"));
    assertThat(DurationSpec.format(Duration.millis(1500)), equalTo("1500ms"));
  }
}
