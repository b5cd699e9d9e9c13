package dev.sluice.pipelines.cli;

import dev.sluice.pipelines.logs.LogAnalytics;
import dev.sluice.pipelines.wordcount.SlidingWordCount;
import java.util.List;
import java.util.Optional;

/** Every job {@code ./sluice} knows, by name. */
public final class Jobs {
  private Jobs() {}

  private static final List<Job<?>> ALL =
      List.of(
          Job.of(
              "word-count",
              "Counts each word in sliding event-time windows over timestamped text lines",
              SlidingWordCount.Options.class,
              SlidingWordCount::build),
          Job.of(
              "log-analytics",
              "Web access logs (Common/Combined Log Format, JSON) per service and status class in"
                  + " sliding windows: requests, latency percentiles, distinct clients, error-rate"
                  + " alerts",
              LogAnalytics.Options.class,
              LogAnalytics::build));

  public static List<Job<?>> all() {
    return ALL;
  }

  public static Optional<Job<?>> named(String name) {
    return ALL.stream().filter(j -> j.name().equals(name)).findFirst();
  }
}
