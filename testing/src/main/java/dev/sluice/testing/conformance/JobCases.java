package dev.sluice.testing.conformance;

import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.pipelines.iot.SensorMonitoringModel;
import dev.sluice.pipelines.logs.LogAnalyticsModel;
import dev.sluice.pipelines.trending.TrendingItemsModel;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every job the conformance suites check, with its generator, flags and reference model. */
public final class JobCases {
  private JobCases() {}

  /**
   * The cases a stream is checked on: every job's, and the ledger's command side, whose results
   * (the event log, the rejects) are due once the watermark passes each command's time.
   */
  public static List<JobCase> streams() {
    List<JobCase> cases = new ArrayList<>(all());
    cases.add(
        new JobCase(
            "ledger-commands",
            "ledger-commands",
            GeneratorSettings.defaults()
                .withSeed(23)
                .withEvents(1_500)
                .withSpan(Duration.ofHours(6))
                .withKeys(40)
                .withSkew(0.8)
                .withMalformed(0.03),
            List.of(),
            Duration.ofMinutes(3),
            lines -> {
              dev.sluice.pipelines.ledger.LedgerModel.Outcome outcome =
                  dev.sluice.pipelines.ledger.LedgerModel.decide(lines);
              return Map.of("", outcome.eventLines(), ".rejects", outcome.rejectionLines());
            },
            Map.of(),
            ""));
    return cases;
  }

  /**
   * The cases of {@code cases} whose job {@code -Dsluice.jobs} names (comma-separated, e.g. {@code
   * -Dsluice.jobs=risk-control,log-analytics}), to look at a few; all of them without it.
   */
  public static List<JobCase> selected(List<JobCase> cases) {
    List<String> only = List.of(System.getProperty("sluice.jobs", "").split(","));
    if (only.equals(List.of(""))) {
      return cases;
    }
    return cases.stream().filter(c -> only.contains(c.job())).toList();
  }

  /** The case of {@code job} among {@link #all}. */
  public static JobCase named(String job) {
    return all().stream().filter(c -> c.job().equals(job)).findFirst().orElseThrow();
  }

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
                        org.joda.time.Duration.standardMinutes(5))),
            Map.of("", List.of("word")),
            "count"));
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
                    lines, dev.sluice.pipelines.risk.RiskRules.of("10m", "2m", 5, 5.0, 3)),
            Map.of("", List.of("account", "rule", "card")),
            "count"));
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
                    3),
            Map.of("", List.of("category", "rank")),
            "clicks"));
    // Windows of 5 minutes and a baseline of 5 readings, so that 2 000 readings over an hour give
    // anomalies as well as silences.
    cases.add(
        new JobCase(
            "iot-sensors",
            "sensor-readings",
            GeneratorSettings.defaults()
                .withSeed(11)
                .withEvents(2_000)
                .withKeys(12)
                .withMalformed(0.02)
                .withLate(0.02, Duration.ofMinutes(30)),
            List.of(
                "--windowSize=5m",
                "--windowPeriod=1m",
                "--partitions=3",
                "--anomalyFactor=4",
                "--minBaselineReadings=5"),
            Duration.ofMinutes(3),
            lines ->
                SensorMonitoringModel.compute(
                    lines,
                    org.joda.time.Duration.standardMinutes(5),
                    org.joda.time.Duration.standardMinutes(1),
                    3,
                    4.0,
                    5),
            Map.of("", List.of("device"), ".alerts", List.of("device", "kind")),
            "count"));
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
                    20),
            Map.of("", List.of("service", "status_class"), ".alerts", List.of("service", "alert")),
            "requests"));
    // Each job adds its case here.
    return cases;
  }
}
