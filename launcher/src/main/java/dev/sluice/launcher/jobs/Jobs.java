package dev.sluice.launcher.jobs;

import dev.sluice.pipelines.iot.SensorMonitoring;
import dev.sluice.pipelines.ledger.LedgerCommands;
import dev.sluice.pipelines.ledger.LedgerProjection;
import dev.sluice.pipelines.logs.LogAnalytics;
import dev.sluice.pipelines.risk.RiskControl;
import dev.sluice.pipelines.trending.TrendingItems;
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
              "risk-control",
              "Fraud alerts per sliding window: transactions joined with account profiles, rules"
                  + " on transactions per card, amount vs usual, places per card",
              RiskControl.Options.class,
              RiskControl::build),
          Job.of(
              "trending-items",
              "Top items per category by clicks, with distinct users, in sliding event-time"
                  + " windows",
              TrendingItems.Options.class,
              TrendingItems::build),
          Job.of(
              "iot-sensors",
              "Per-device sensor stats in sliding windows, with anomaly and silent-device alerts",
              SensorMonitoring.Options.class,
              SensorMonitoring::build),
          Job.of(
              "log-analytics",
              "Web access logs (Common/Combined Log Format, JSON) per service and status class in"
                  + " sliding windows: requests, latency percentiles, distinct clients, error-rate"
                  + " alerts",
              LogAnalytics.Options.class,
              LogAnalytics::build),
          Job.of(
              "ledger-commands",
              "The ledger's command side: commands checked against the current state become"
                  + " events in the event log; refused ones go to the rejects with the reason",
              LedgerCommands.Options.class,
              LedgerCommands::build),
          Job.of(
              "ledger-projection",
              "The ledger's read model: the event log folded into PostgreSQL (--output=jdbc:"
                  + "postgresql://...): balance and version per account, history per hour",
              LedgerProjection.Options.class,
              LedgerProjection::build));

  public static List<Job<?>> all() {
    return ALL;
  }

  public static Optional<Job<?>> named(String name) {
    return ALL.stream().filter(j -> j.name().equals(name)).findFirst();
  }
}
