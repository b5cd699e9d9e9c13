package dev.sluice.testing.conformance;

import dev.sluice.pipelines.logs.LogAnalyticsModel;
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
            "log-analytics",
            "access-logs",
            GeneratorSettings.defaults()
                .withSeed(17)
                .withEvents(2_000)
                .withKeys(8)
                .withDisorder(Duration.ofMinutes(1))
                .withLate(0.02, Duration.ofMinutes(30))
                .withMalformed(0.02),
            List.of(
                "--windowSize=5m",
                "--windowPeriod=1m",
                "--errorRateThreshold=0.05",
                "--minRequests=20"),
            Duration.ofMinutes(3),
            lines ->
                LogAnalyticsModel.compute(
                    lines,
                    org.joda.time.Duration.standardMinutes(5),
                    org.joda.time.Duration.standardMinutes(1),
                    0.05,
                    20)));
    // Each job adds its case here.
    return cases;
  }
}
