package dev.sluice.pipelines.logs;

import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.joda.time.Duration;

/**
 * The log analytics computed without Beam: the independent expected answer for tests and the demo.
 * Batch semantics: all input is read before any window closes, so every window has exactly one,
 * on-time result. Lines that do not parse are skipped (the pipeline routes them to dead letters).
 *
 * <p>It keeps every latency and every client address of every group: percentiles come from sorting
 * the latencies, distinct clients from a set, with no histogram and no sketch. A request at {@code
 * t} belongs to every window {@code [s, s + size)} with {@code s} a multiple of the period and
 * {@code s <= t < s + size}.
 */
public final class LogAnalyticsModel {
  private final long sizeMillis;
  private final long periodMillis;
  private final double errorRateThreshold;
  private final int minRequests;

  /** window start → service → status class → the group's requests. */
  private final Map<Long, Map<String, Map<String, Group>>> windows = new TreeMap<>();

  public LogAnalyticsModel(
      Duration size, Duration period, double errorRateThreshold, int minRequests) {
    this.sizeMillis = size.getMillis();
    this.periodMillis = period.getMillis();
    this.errorRateThreshold = errorRateThreshold;
    this.minRequests = minRequests;
  }

  /** What one group of requests has seen. */
  private static final class Group {
    long requests;
    long errors;
    final List<Integer> latencies = new ArrayList<>();
    final Set<String> clients = new HashSet<>();

    void add(Group other) {
      requests += other.requests;
      errors += other.errors;
      latencies.addAll(other.latencies);
      clients.addAll(other.clients);
    }
  }

  /** Adds one raw input line; returns false if it does not parse. */
  public boolean add(String line) {
    AccessLog request;
    try {
      request = AccessLog.parse(line);
    } catch (InvalidRecordException e) {
      return false;
    }
    long t = request.timestampMillis();
    long lastStart = t - Math.floorMod(t, periodMillis);
    for (long start = lastStart; start > t - sizeMillis; start -= periodMillis) {
      Group group =
          windows
              .computeIfAbsent(start, s -> new TreeMap<>())
              .computeIfAbsent(request.service(), s -> new TreeMap<>())
              .computeIfAbsent(request.statusClass(), c -> new Group());
      group.requests++;
      if (request.status() >= 500) {
        group.errors++;
      }
      if (request.hasLatency()) {
        group.latencies.add(request.latencyMillis());
      }
      group.clients.add(request.client());
    }
    return true;
  }

  /**
   * The expected lines of each output: {@code ""} for the results, {@code ".alerts"} for the
   * alerts; ordered by window start, service, then status class ({@code all} after the classes).
   */
  public Map<String, List<String>> results() {
    List<String> results = new ArrayList<>();
    List<String> alerts = new ArrayList<>();
    windows.forEach(
        (start, services) ->
            services.forEach(
                (service, classes) -> {
                  long end = start + sizeMillis;
                  Group all = new Group();
                  classes.forEach(
                      (statusClass, group) -> {
                        all.add(group);
                        ResultLine line =
                            ResultLine.create()
                                .put("service", service)
                                .put("status_class", statusClass)
                                .put("requests", group.requests);
                        results.add(traffic(line, group).finalWindow(start, end).toJson());
                      });
                  double rate = Math.round(all.errors * 10_000.0 / all.requests) / 10_000.0;
                  ResultLine line =
                      ResultLine.create()
                          .put("service", service)
                          .put("status_class", "all")
                          .put("requests", all.requests)
                          .put("errors", all.errors)
                          .put("error_rate", rate);
                  results.add(traffic(line, all).finalWindow(start, end).toJson());
                  if (all.requests >= minRequests
                      && (double) all.errors / all.requests >= errorRateThreshold) {
                    alerts.add(
                        ResultLine.create()
                            .put("service", service)
                            .put("alert", "error-rate")
                            .put("requests", all.requests)
                            .put("errors", all.errors)
                            .put("error_rate", rate)
                            .put("threshold", errorRateThreshold)
                            .put("min_requests", minRequests)
                            .finalWindow(start, end)
                            .toJson());
                  }
                }));
    return Map.of("", results, ".alerts", alerts);
  }

  private static ResultLine traffic(ResultLine line, Group group) {
    List<Integer> sorted = new ArrayList<>(group.latencies);
    Collections.sort(sorted);
    line.put("latency_samples", sorted.size());
    if (!sorted.isEmpty()) {
      line.put("p50_ms", nearestRank(sorted, 50))
          .put("p95_ms", nearestRank(sorted, 95))
          .put("p99_ms", nearestRank(sorted, 99));
    }
    return line.put("distinct_clients", group.clients.size());
  }

  /** The value at 1-based rank ceil(p * n / 100) of the sorted list (exact integer arithmetic). */
  private static int nearestRank(List<Integer> sorted, int p) {
    int rank = (p * sorted.size() + 99) / 100;
    return sorted.get(Math.max(rank, 1) - 1);
  }

  /** The model's expected lines for {@code inputLines}, per output ("" and ".alerts"). */
  public static Map<String, List<String>> compute(
      Iterable<String> inputLines,
      Duration size,
      Duration period,
      double errorRateThreshold,
      int minRequests) {
    LogAnalyticsModel model = new LogAnalyticsModel(size, period, errorRateThreshold, minRequests);
    inputLines.forEach(model::add);
    return model.results();
  }
}
