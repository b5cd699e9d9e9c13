package dev.sluice.pipelines.risk;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class RiskRulesTest {
  @Test
  void theDefaultsAreTheOptionsDefaults() {
    RiskRules rules = RiskRules.defaults();
    assertThat(rules.size(), equalTo(Duration.standardMinutes(10)));
    assertThat(rules.period(), equalTo(Duration.standardMinutes(1)));
    assertThat(rules.maxTxnsPerCard(), equalTo(5));
    assertThat(rules.amountFactor(), equalTo(5.0));
    assertThat(rules.maxPlaces(), equalTo(3));
  }

  @Test
  void eachBadValueIsRefusedNamingTheFlagTheValueAndWhatIsAllowed() {
    assertThat(
        message(() -> RiskRules.of("ten", "1m", 5, 5, 3)),
        equalTo(
            "--windowSize: 'ten' is not a duration; use a whole number and a unit ms, s, m, h or d"
                + " (e.g. 30s, 10m, 1h)"));
    assertThat(
        message(() -> RiskRules.of("10m", "0s", 5, 5, 3)),
        equalTo("--windowPeriod: '0s' must be longer than zero"));
    assertThat(
        message(() -> RiskRules.of("10m", "11m", 5, 5, 3)),
        equalTo(
            "--windowPeriod: 11m is longer than --windowSize 10m; the period must be at most the"
                + " size"));
    assertThat(
        message(() -> RiskRules.of("10m", "1m", 0, 5, 3)),
        equalTo(
            "--maxTxnsPerCard: must be 1 or more (a card with more transactions than this in a"
                + " window raises an alert), was 0"));
    assertThat(
        message(() -> RiskRules.of("10m", "1m", 5, 0, 3)),
        equalTo(
            "--amountFactor: must be a finite number more than 0 (an amount more than this times"
                + " the account's usual amount raises an alert), was 0.0"));
    assertThat(
        message(() -> RiskRules.of("10m", "1m", 5, Double.NaN, 3)),
        equalTo(
            "--amountFactor: must be a finite number more than 0 (an amount more than this times"
                + " the account's usual amount raises an alert), was NaN"));
    assertThat(
        message(() -> RiskRules.of("10m", "1m", 5, Double.POSITIVE_INFINITY, 3)),
        equalTo(
            "--amountFactor: must be a finite number more than 0 (an amount more than this times"
                + " the account's usual amount raises an alert), was Infinity"));
    assertThat(
        message(() -> RiskRules.of("10m", "1m", 5, 5, -1)),
        equalTo(
            "--maxPlaces: must be 1 or more (a card used in more distinct places than this in a"
                + " window raises an alert), was -1"));
  }

  private static String message(org.junit.jupiter.api.function.Executable call) {
    return assertThrows(IllegalArgumentException.class, call).getMessage();
  }
}
