package dev.sluice.runners.benchmarks.nativeflink;

import dev.sluice.pipelines.logs.LogAnalytics;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.pipelines.risk.RiskControl;
import dev.sluice.pipelines.risk.RiskRules;
import dev.sluice.pipelines.wordcount.SlidingWordCount;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The native jobs by Sluice job name, each made with its Sluice job's flags: {@code --windowSize}
 * and {@code --windowPeriod} as given (checked by Sluice's own parser), every other flag at the
 * Sluice job's default (read from its options, so the two never drift apart).
 */
public final class NativeFlinkJobs {
  private NativeFlinkJobs() {}

  /** The jobs with a native version. */
  public static final SortedSet<String> NAMES =
      new TreeSet<>(List.of("word-count", "log-analytics", "risk-control"));

  /**
   * The native version of {@code job} with the Sluice job's defaults.
   *
   * @throws IllegalArgumentException if {@code job} has no native version
   */
  public static NativeFlinkJob withDefaults(String job) {
    return create(job, null, null);
  }

  /**
   * The native version of {@code job} with sliding windows of {@code windowSize} every {@code
   * windowPeriod} (each null: the Sluice job's default).
   *
   * @throws IllegalArgumentException naming the job and the jobs there are, or naming the flag, its
   *     value and what is allowed
   */
  public static NativeFlinkJob create(
      String job, @Nullable String windowSize, @Nullable String windowPeriod) {
    switch (job) {
      case "word-count" -> {
        SlidingWordCount.Options sluice = defaults(SlidingWordCount.Options.class);
        JobOptions.SlidingWindow window =
            JobOptions.SlidingWindow.parse(
                or(windowSize, sluice.getWindowSize()), or(windowPeriod, sluice.getWindowPeriod()));
        return new NativeFlinkWordCount(millis(window.size()), millis(window.period()));
      }
      case "log-analytics" -> {
        LogAnalytics.Options sluice = defaults(LogAnalytics.Options.class);
        JobOptions.SlidingWindow window =
            JobOptions.SlidingWindow.parse(
                or(windowSize, sluice.getWindowSize()), or(windowPeriod, sluice.getWindowPeriod()));
        return new NativeFlinkLogAnalytics(
            millis(window.size()),
            millis(window.period()),
            sluice.getErrorRateThreshold(),
            sluice.getMinRequests());
      }
      case "risk-control" -> {
        RiskControl.Options sluice = defaults(RiskControl.Options.class);
        return new NativeFlinkRiskControl(
            RiskRules.of(
                or(windowSize, sluice.getWindowSize()),
                or(windowPeriod, sluice.getWindowPeriod()),
                sluice.getMaxTxnsPerCard(),
                sluice.getAmountFactor(),
                sluice.getMaxPlaces()));
      }
      default ->
          throw new IllegalArgumentException(
              "unknown job '" + job + "'; jobs: " + String.join(", ", NAMES));
    }
  }

  /** A Sluice job's options as {@code ./sluice run} starts from them: every flag at its default. */
  private static <T extends JobOptions> T defaults(Class<T> options) {
    return PipelineOptionsFactory.as(options);
  }

  private static String or(@Nullable String given, String sluiceDefault) {
    return given == null ? sluiceDefault : given;
  }

  private static Duration millis(org.joda.time.Duration duration) {
    return Duration.ofMillis(duration.getMillis());
  }
}
