package dev.sluice.testing.conformance;

import dev.sluice.pipelines.trending.TrendingItemsModel;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.testing.generate.GeneratorSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every job the conformance suites check, with its generator, flags and reference model. */
public final class JobCases {
  private JobCases() {}

  /** Each job's case; the suites run them all on every runner. */
  public static List<JobCase> all() {
    List<JobCase> cases = new ArrayList<>();
    cases.add(
        new JobCase(
            "word-count",
            "words",
            GeneratorSettings.defaults().withSeed(3).withEvents(1_500).withMalformed(0.02),
            List.of("--windowSize=10m", "--windowPeriod=5m"),
            Duration.ofMinutes(3),
            lines ->
                Map.of(
                    "",
                    SlidingWordCountModel.compute(
                        lines,
                        org.joda.time.Duration.standardMinutes(10),
                        org.joda.time.Duration.standardMinutes(5)))));
    cases.add(
        new JobCase(
            "risk-control",
            "transactions",
            GeneratorSettings.defaults()
                .withSeed(3)
                .withEvents(2_000)
                .withSpan(Duration.ofHours(4))
                .withKeys(12)
                .withSkew(0.5)
                .withDisorder(Duration.ofMinutes(1))
                .withLate(0.02, Duration.ofMinutes(30))
                .withMalformed(0.02),
            List.of(
                "--windowSize=10m",
                "--windowPeriod=2m",
                "--maxTxnsPerCard=5",
                "--amountFactor=5",
                "--maxPlaces=3"),
            Duration.ofMinutes(3),
            lines ->
                dev.sluice.pipelines.risk.RiskControlModel.compute(
                    lines, dev.sluice.pipelines.risk.RiskRules.of("10m", "2m", 5, 5.0, 3))));
    cases.add(
        new JobCase(
            "trending-items",
            "clicks",
            GeneratorSettings.defaults()
                .withSeed(7)
                .withEvents(2_000)
                .withKeys(60)
                .withSkew(1.1)
                .withDisorder(Duration.ofMinutes(1))
                .withLate(0.02, Duration.ofMinutes(30))
                .withMalformed(0.02),
            List.of("--windowSize=30m", "--windowPeriod=10m", "--topN=3", "--hotKeyFanout=8"),
            Duration.ofMinutes(3),
            lines ->
                TrendingItemsModel.compute(
                    lines,
                    org.joda.time.Duration.standardMinutes(30),
                    org.joda.time.Duration.standardMinutes(10),
                    3)));
    // Each job adds its case here.
    return cases;
  }
}
