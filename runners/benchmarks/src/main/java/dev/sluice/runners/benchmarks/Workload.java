package dev.sluice.runners.benchmarks;

import dev.sluice.launcher.generate.GeneratorSettings;
import dev.sluice.pipelines.logs.LogAnalyticsModel;
import dev.sluice.pipelines.risk.RiskControlModel;
import dev.sluice.pipelines.risk.RiskRules;
import dev.sluice.pipelines.trending.TrendingItemsModel;
import dev.sluice.pipelines.wordcount.SlidingWordCountModel;
import dev.sluice.runners.benchmarks.nativeflink.NativeFlink;
import dev.sluice.runners.benchmarks.nativeflink.NativeFlinkJob;
import dev.sluice.transforms.window.DurationSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline as the benchmark runs it: the Sluice job (with its default options: every engine runs
 * the same logic with the same settings), the generator that makes its input, how dense the input
 * is in event time, its sliding windows, its plain-Java reference model and its native Flink
 * version.
 *
 * @param eventsPerHour events per hour of event time: the span grows with the number of events, so
 *     the work per event stays the same from 10^5 to 10^7 and only the input's length changes
 * @param keys the generator's main keys (words: unused; services; accounts; categories)
 * @param size the job's default window size ({@code --windowSize})
 * @param period the job's default window period ({@code --windowPeriod})
 * @param model input lines and windows → expected lines per output ({@code ""}, {@code ".alerts"})
 */
public record Workload(
    String job,
    String generator,
    int eventsPerHour,
    int keys,
    Duration size,
    Duration period,
    Model model) {

  /** A job's plain-Java reference model with the job's other options at their defaults. */
  @FunctionalInterface
  interface Model {
    Map<String, List<String>> compute(
        List<String> lines, org.joda.time.Duration size, org.joda.time.Duration period);
  }

  /** Word count: a busy text stream. */
  static final Workload WORD_COUNT =
      new Workload(
          "word-count",
          "words",
          100_000,
          20,
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          (lines, size, period) -> Map.of("", SlidingWordCountModel.compute(lines, size, period)));

  /** Log analytics: 20 services' access logs. */
  static final Workload LOG_ANALYTICS =
      new Workload(
          "log-analytics",
          "access-logs",
          100_000,
          20,
          Duration.ofMinutes(5),
          Duration.ofMinutes(1),
          (lines, size, period) -> LogAnalyticsModel.compute(lines, size, period, 0.05, 20));

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
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          (lines, size, period) -> {
            RiskRules defaults = RiskRules.defaults();
            RiskRules rules =
                RiskRules.of(
                    DurationSpec.format(size),
                    DurationSpec.format(period),
                    defaults.maxTxnsPerCard(),
                    defaults.amountFactor(),
                    defaults.maxPlaces());
            return RiskControlModel.compute(lines, rules);
          });

  /** Trending items: clicks in 20 categories, the top 5 items of each. */
  static final Workload TRENDING_ITEMS =
      new Workload(
          "trending-items",
          "clicks",
          100_000,
          20,
          Duration.ofMinutes(30),
          Duration.ofMinutes(5),
          (lines, size, period) -> TrendingItemsModel.compute(lines, size, period, 5));

  /** The workloads of the batch benchmark (trending-items has no native Flink version). */
  static final List<Workload> ALL = List.of(WORD_COUNT, LOG_ANALYTICS, RISK_CONTROL);

  /** The workloads of the streaming benchmark. */
  static final List<Workload> STREAMS =
      List.of(WORD_COUNT, LOG_ANALYTICS, RISK_CONTROL, TRENDING_ITEMS);

  /** The expected lines per output for {@code lines} with the job's default windows. */
  Map<String, List<String>> model(List<String> lines) {
    return model.compute(lines, joda(size), joda(period));
  }

  static org.joda.time.Duration joda(Duration duration) {
    return org.joda.time.Duration.millis(duration.toMillis());
  }

  static Optional<Workload> named(String job) {
    return STREAMS.stream().filter(w -> w.job().equals(job)).findFirst();
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
