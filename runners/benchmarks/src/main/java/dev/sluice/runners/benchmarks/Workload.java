package dev.sluice.runners.benchmarks;

import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.pipelines.logs.LogAnalyticsModel;
import dev.sluice.pipelines.risk.RiskControlModel;
import dev.sluice.pipelines.risk.RiskRules;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.runners.benchmarks.nativeflink.NativeFlink;
import dev.sluice.runners.benchmarks.nativeflink.NativeFlinkJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A pipeline as the benchmark runs it: the Sluice job (with its default options: every engine runs
 * the same logic with the same settings), the generator that makes its input, how dense the input
 * is in event time, its plain-Java reference model and its native Flink version.
 *
 * @param eventsPerHour events per hour of event time: the span grows with the number of events, so
 *     the work per event stays the same from 10^5 to 10^7 and only the input's length changes
 * @param keys the generator's main keys (words: unused; services; accounts)
 * @param model input lines → expected lines per output ({@code ""}, {@code ".alerts"})
 */
public record Workload(
    String job,
    String generator,
    int eventsPerHour,
    int keys,
    Function<List<String>, Map<String, List<String>>> model) {

  /** Word count: a busy text stream. */
  static final Workload WORD_COUNT =
      new Workload(
          "word-count",
          "words",
          100_000,
          20,
          lines ->
              Map.of(
                  "",
                  SlidingWordCountModel.compute(
                      lines,
                      org.joda.time.Duration.standardMinutes(10),
                      org.joda.time.Duration.standardMinutes(1))));

  /** Log analytics: 20 services' access logs. */
  static final Workload LOG_ANALYTICS =
      new Workload(
          "log-analytics",
          "access-logs",
          100_000,
          20,
          lines ->
              LogAnalyticsModel.compute(
                  lines,
                  org.joda.time.Duration.standardMinutes(5),
                  org.joda.time.Duration.standardMinutes(1),
                  0.05,
                  20));

  /**
   * Risk control: the density its rules are tuned for (the generator's defaults: 2 000 events an
   * hour over 20 accounts, a profile snapshot every 5 minutes), so alerts stay rare.
   */
  static final Workload RISK_CONTROL =
      new Workload(
          "risk-control",
          "transactions",
          2_000,
          20,
          lines -> RiskControlModel.compute(lines, RiskRules.defaults()));

  static final List<Workload> ALL = List.of(WORD_COUNT, LOG_ANALYTICS, RISK_CONTROL);

  static Optional<Workload> named(String job) {
    return ALL.stream().filter(w -> w.job().equals(job)).findFirst();
  }

  /** The generator settings for {@code events} events (seed 42, no malformed or late records). */
  GeneratorSettings settings(int events) {
    long minutes = Math.max(60, Math.round(events * 60.0 / eventsPerHour));
    return GeneratorSettings.defaults()
        .withSeed(42)
        .withEvents(events)
        .withKeys(keys)
        .withSpan(Duration.ofMinutes(minutes));
  }

  /** The native Flink version of the job, if there is one. */
  Optional<NativeFlinkJob> nativeFlinkJob() {
    return Optional.ofNullable(NativeFlink.JOBS.get(job));
  }
}
