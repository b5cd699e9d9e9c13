package dev.sluice.pipelines.risk;

import static dev.sluice.pipelines.risk.RiskExamples.RULES;
import static dev.sluice.pipelines.risk.RiskExamples.STRICT_CARD_RULES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model on inputs whose alerts were worked out by hand (see {@link RiskExamples}). */
class RiskControlModelTest {
  @Test
  void theAmountRuleUsesTheLatestProfileInEachWindow() {
    assertThat(
        alerts(RiskExamples.LATEST_PROFILE, RULES),
        containsInAnyOrder(RiskExamples.LATEST_PROFILE_ALERTS.toArray()));
  }

  @Test
  void aWindowWithoutAProfileOfTheAccountRaisesNoProfileInsteadOfTheAmountRule() {
    assertThat(
        alerts(RiskExamples.NO_PROFILE, RULES),
        containsInAnyOrder(RiskExamples.NO_PROFILE_ALERTS.toArray()));
  }

  @Test
  void cardRulesCountTransactionsAndDistinctPlacesPerCardAndWindow() {
    assertThat(
        alerts(RiskExamples.CARDS, STRICT_CARD_RULES),
        containsInAnyOrder(RiskExamples.CARDS_ALERTS.toArray()));
  }

  @Test
  void cardRulesFireOnlyAboveTheirThresholds() {
    // The same cards with the default-like rules: 4 transactions and 3 places are not more than
    // 5 and 3, so only the no-profile alert of [00:05, 00:15) is left.
    assertThat(
        alerts(RiskExamples.CARDS, RULES), containsInAnyOrder(RiskExamples.CARDS_ALERTS.get(4)));
  }

  @Test
  void profilesAtTheSameTimeAreSettledByTheLargerUsualAmountAndBadLinesAreSkipped() {
    assertThat(
        alerts(RiskExamples.TIED_PROFILES, RULES),
        containsInAnyOrder(RiskExamples.TIED_PROFILES_ALERTS.toArray()));
  }

  @Test
  void withSeparateAccountsEachSourceGivesOnlyItsOwnType() {
    Map<String, List<String>> out =
        RiskControlModel.compute(
            RiskExamples.SEPARATE_INPUT, RiskExamples.SEPARATE_ACCOUNTS, RULES);
    assertThat(out.keySet(), equalTo(java.util.Set.of("")));
    assertThat(out.get(""), containsInAnyOrder(RiskExamples.SEPARATE_ALERTS.toArray()));
  }

  @Test
  void noTransactionsNoAlerts() {
    assertThat(alerts(List.of(RiskExamples.profile("00:01", "a", "1.00", "FR")), RULES), empty());
  }

  private static List<String> alerts(List<String> lines, RiskRules rules) {
    Map<String, List<String>> out = RiskControlModel.compute(lines, rules);
    assertThat(out.keySet(), equalTo(java.util.Set.of("")));
    return out.get("");
  }
}
