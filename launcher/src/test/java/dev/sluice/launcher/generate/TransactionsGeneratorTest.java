package dev.sluice.launcher.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

import dev.sluice.pipelines.risk.RiskControlModel;
import dev.sluice.pipelines.risk.RiskRecord;
import dev.sluice.pipelines.risk.RiskRules;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TransactionsGeneratorTest {
  private static final GeneratorSettings SETTINGS =
      GeneratorSettings.defaults()
          .withSeed(3)
          .withEvents(2_000)
          .withSpan(Duration.ofHours(4))
          .withKeys(12)
          .withSkew(0.5)
          .withLate(0.02, Duration.ofMinutes(30))
          .withMalformed(0.02);

  private final GeneratedEvents events =
      Generators.named("transactions").orElseThrow().generate(SETTINGS);

  @Test
  void theSameSettingsGiveTheSameRecords() {
    assertThat(new TransactionsGenerator().generate(SETTINGS), equalTo(events));
    assertThat(events.lines().size(), equalTo(2_000));
  }

  @Test
  void exactlyTheMalformedLinesAreRefusedInSeveralWays() {
    TreeSet<Integer> refused = new TreeSet<>();
    TreeMap<String, Integer> kinds = new TreeMap<>();
    for (int i = 0; i < events.lines().size(); i++) {
      try {
        RiskRecord.parse(events.lines().get(i));
        assertThat(events.eventTimes().get(i), notNullValue());
      } catch (InvalidRecordException e) {
        refused.add(i + 1);
        kinds.merge(e.kind(), 1, Integer::sum);
      }
      assertThat(events.keys().get(i), notNullValue());
    }
    assertThat(refused, equalTo(events.malformedLineNumbers()));
    assertThat(refused.size(), greaterThan(20));
    assertThat(
        kinds.keySet(),
        hasItems(
            "not-json",
            "not-object",
            "missing-field",
            "bad-timestamp",
            "wrong-type",
            "out-of-range",
            "unknown-type",
            "bad-amount"));
    assertThat(events.lateLineNumbers().size(), greaterThan(20));
  }

  @Test
  void profilesAreReEmittedAndEveryRuleFires() {
    long profiles = events.lines().stream().filter(l -> l.contains("\"type\":\"account\"")).count();
    // 12 accounts every 5 minutes over 4 hours: 48 snapshots of 12, a few of them malformed.
    assertThat(profiles, greaterThan(540L));
    assertThat(profiles, lessThan(577L));
    TreeMap<String, Integer> byRule = new TreeMap<>();
    for (String alert : RiskControlModel.compute(events.lines(), RiskRules.defaults()).get("")) {
      String rule = alert.substring("{\"rule\":\"".length(), alert.indexOf('"', 9));
      byRule.merge(rule, 1, Integer::sum);
    }
    assertThat(
        byRule.keySet(),
        equalTo(
            Set.of(
                "too-many-transactions", "too-many-places", "amount-above-usual", "no-profile")));
  }
}
