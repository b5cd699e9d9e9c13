package dev.sluice.pipelines.risk;

import static dev.sluice.pipelines.risk.RiskExamples.RULES;
import static dev.sluice.pipelines.risk.RiskExamples.STRICT_CARD_RULES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.sluice.transforms.quality.InvalidRecordException;
import dev.sluice.transforms.window.WindowSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job's core transform on a runner against the hand-worked alerts of {@link RiskExamples} and
 * against the model, in batch ({@code Create}) and as a stream ({@code TestStream}).
 */
@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class DetectFraudTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theAmountRuleUsesTheLatestProfileInEachWindow(TestPipeline p) {
    PAssert.that(detect(p, RiskExamples.LATEST_PROFILE, RULES))
        .containsInAnyOrder(RiskExamples.LATEST_PROFILE_ALERTS);
    p.run().waitUntilFinish();
  }

  @Test
  void aWindowWithoutAProfileRaisesNoProfile(TestPipeline p) {
    PAssert.that(detect(p, RiskExamples.NO_PROFILE, RULES))
        .containsInAnyOrder(RiskExamples.NO_PROFILE_ALERTS);
    p.run().waitUntilFinish();
  }

  @Test
  void cardRulesCountTransactionsAndPlacesPerCard(TestPipeline p) {
    PAssert.that(detect(p, RiskExamples.CARDS, STRICT_CARD_RULES))
        .containsInAnyOrder(RiskExamples.CARDS_ALERTS);
    p.run().waitUntilFinish();
  }

  @Test
  void tiedProfilesAreSettledByTheLargerUsualAmount(TestPipeline p) {
    PAssert.that(detect(p, RiskExamples.TIED_PROFILES, RULES))
        .containsInAnyOrder(RiskExamples.TIED_PROFILES_ALERTS);
    p.run().waitUntilFinish();
  }

  /** All examples in one input, with the strict card rules: the pipeline equals the model. */
  @Test
  void allExamplesTogetherEqualTheModel(TestPipeline p) {
    List<String> lines = new ArrayList<>();
    lines.addAll(RiskExamples.LATEST_PROFILE);
    lines.addAll(RiskExamples.NO_PROFILE);
    lines.addAll(RiskExamples.CARDS);
    lines.addAll(RiskExamples.TIED_PROFILES);
    lines.addAll(RiskExamples.SEPARATE_INPUT);
    lines.addAll(RiskExamples.SEPARATE_ACCOUNTS);
    PAssert.that(detect(p, lines, STRICT_CARD_RULES))
        .containsInAnyOrder(RiskControlModel.compute(lines, STRICT_CARD_RULES).get(""));
    p.run().waitUntilFinish();
  }

  /**
   * As a stream: records out of order within open windows, a profile arriving after the
   * transactions it applies to, the watermark advancing in steps. Each window still fires once,
   * ON_TIME, with the batch answer.
   */
  @Test
  void aStreamWithOutOfOrderRecordsGivesTheBatchAlertsOnTime(TestPipeline p) {
    List<String> lines = RiskExamples.CARDS;
    TestStream<RiskRecord> stream =
        TestStream.create(RiskRecord.Coder.of())
            .addElements(record(lines.get(3)), record(lines.get(1))) // t12 00:03, t10 00:01
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(2)))
            .addElements(record(lines.get(2)), record(lines.get(0))) // t11 00:02, profile 00:04
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(5))) // [23:55, 00:05) closes
            .addElements(record(lines.get(5)), record(lines.get(4))) // t14 00:09, t13 00:08
            .advanceWatermarkToInfinity();
    PAssert.that(p.apply(stream).apply(new RiskControl.DetectFraud(STRICT_CARD_RULES)))
        .containsInAnyOrder(RiskExamples.CARDS_ALERTS);
    p.run().waitUntilFinish();
  }

  /**
   * With an early pane after every bundle: the card rules alert early (the second bundle puts c9
   * over both limits before its windows close), the account rules never do (the first bundle's
   * windows have transactions but no profile yet: an early no-profile alert would be wrong), and
   * each window's on-time pane gives the batch answer. Direct only: how many early panes fire by
   * count depends on the runner's bundles.
   */
  @Test
  @Tag("direct-only")
  void cardRulesAlertEarlyAndAccountRulesWaitForTheOnTimePane(TestPipeline p) {
    List<String> lines = RiskExamples.CARDS;
    TestStream<RiskRecord> stream =
        TestStream.create(RiskRecord.Coder.of())
            .addElements(record(lines.get(3)), record(lines.get(1))) // t12 00:03, t10 00:01
            .addElements(record(lines.get(2)), record(lines.get(0))) // t11 00:02, profile 00:04
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(5))) // [23:55, 00:05) closes
            .addElements(record(lines.get(5)), record(lines.get(4))) // t14 00:09, t13 00:08
            .advanceWatermarkToInfinity();
    WindowSpec windows = triggered(STRICT_CARD_RULES, "early=1");
    PCollection<String> alerts =
        p.apply(stream).apply(new RiskControl.DetectFraud(STRICT_CARD_RULES, windows));
    PAssert.that(alerts)
        .satisfies(
            all -> {
              List<String> early = new ArrayList<>();
              List<String> onTime = new ArrayList<>();
              for (String line : all) {
                if (line.contains("\"pane\":\"EARLY\"")) {
                  early.add(line);
                } else if (line.contains("\"pane\":\"ON_TIME\"")) {
                  // the on-time pane's index counts the early panes before it
                  onTime.add(line.replaceAll("\"pane_index\":\\d+", "\"pane_index\":0"));
                }
              }
              assertThat(onTime, containsInAnyOrder(RiskExamples.CARDS_ALERTS.toArray()));
              assertThat(
                  early,
                  hasItem(
                      allOf(
                          containsString("\"rule\":\"too-many-places\""),
                          containsString("\"window_start\":\"2025-12-31T23:55:00Z\""))));
              assertThat(early, everyItem(containsString("\"card\":\"c9\"")));
              return null;
            });
    p.run().waitUntilFinish();
  }

  /**
   * With an allowed lateness, a profile that comes after its windows closed withdraws their on-time
   * no-profile alerts: the LATE pane writes the rule as cleared under the same key, so the latest
   * line per key is the window's true state (and the amount rule, checked now, holds nothing:
   * cleared too). Direct only: Flink and Spark count such TestStream elements on time.
   */
  @Test
  @Tag("direct-only")
  void aLateProfileClearsTheOnTimeNoProfileAlert(TestPipeline p) {
    TestStream<RiskRecord> stream =
        TestStream.create(RiskRecord.Coder.of())
            .addElements(record(RiskExamples.txn("t1", "00:01", "n", "n1", "1.00", "FR")))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(12))) // both windows close
            .addElements(record(RiskExamples.profile("00:02", "n", "1000.00", "FR")))
            .advanceWatermarkToInfinity();
    WindowSpec windows = triggered(RULES, "lateness=30m");
    PAssert.that(p.apply(stream).apply(new RiskControl.DetectFraud(RULES, windows)))
        .satisfies(
            all -> {
              List<String> lines = new ArrayList<>();
              all.forEach(lines::add);
              for (String start : List.of("2025-12-31T23:55:00Z", "2026-01-01T00:00:00Z")) {
                String window = "\"window_start\":\"" + start + "\"";
                assertThat(
                    lines,
                    hasItem(
                        allOf(
                            containsString("\"rule\":\"no-profile\""),
                            containsString(window),
                            containsString("\"pane\":\"ON_TIME\""))));
                for (String rule : List.of("no-profile", "amount-above-usual")) {
                  assertThat(
                      lines,
                      hasItem(
                          allOf(
                              startsWith(
                                  "{\"rule\":\"" + rule + "\",\"account\":\"n\",\"cleared\":true,"),
                              containsString(window),
                              containsString("\"pane\":\"LATE\""))));
                }
              }
              assertThat(lines.size(), equalTo(6));
              return null;
            });
    p.run().waitUntilFinish();
  }

  /**
   * A transaction behind the watermark, past every window it belongs to, is dropped like any late
   * record (no allowed lateness): here t3's windows close before it arrives. Direct only, as for
   * word-count: Flink and Spark still counted such TestStream elements on time.
   */
  @Test
  @Tag("direct-only")
  void aTransactionBehindTheWatermarkIsDropped(TestPipeline p) {
    TestStream<RiskRecord> stream =
        TestStream.create(RiskRecord.Coder.of())
            .addElements(record(RiskExamples.NO_PROFILE.get(0)))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(20)))
            .addElements(record(RiskExamples.NO_PROFILE.get(1))) // t3 at 00:12: too late
            .advanceWatermarkToInfinity();
    PAssert.that(p.apply(stream).apply(new RiskControl.DetectFraud(RULES))).empty();
    p.run().waitUntilFinish();
  }

  /** The rules' windows with {@code --trigger=<trigger>}, as the job builds them. */
  private static WindowSpec triggered(RiskRules rules, String trigger) {
    return WindowSpec.sliding(rules.size(), rules.period())
        .accumulatingPanes()
        .withTrigger("--trigger", trigger);
  }

  private static PCollection<String> detect(TestPipeline p, List<String> lines, RiskRules rules) {
    List<TimestampedValue<RiskRecord>> records = new ArrayList<>();
    for (String line : lines) {
      try {
        records.add(record(line));
      } catch (IllegalArgumentException e) {
        // a bad line: the job's parse step sends it to the dead letters
      }
    }
    return p.apply(Create.timestamped(records).withCoder(RiskRecord.Coder.of()))
        .apply(new RiskControl.DetectFraud(rules));
  }

  private static TimestampedValue<RiskRecord> record(String line) {
    try {
      RiskRecord r = RiskRecord.parse(line);
      return TimestampedValue.of(r, r.timestamp());
    } catch (InvalidRecordException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
