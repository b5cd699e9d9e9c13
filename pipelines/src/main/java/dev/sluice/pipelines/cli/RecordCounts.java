package dev.sluice.pipelines.cli;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * How many input records a finished run parsed and sent to the dead letters, from the {@code
 * sluice.quality} counters of {@code ParseOrDeadLetter}: good + dead = input, said at the end of
 * every run.
 */
public final class RecordCounts {
  private static final String NAMESPACE = "sluice.quality";

  private final long parsed;
  private final long deadLetters;
  private final Map<String, Long> deadLettersByKind;
  private final boolean known;

  private RecordCounts(
      long parsed, long deadLetters, Map<String, Long> deadLettersByKind, boolean known) {
    this.parsed = parsed;
    this.deadLetters = deadLetters;
    this.deadLettersByKind = deadLettersByKind;
    this.known = known;
  }

  /** The counts of a finished run; unknown if the runner reports no metrics. */
  public static RecordCounts of(PipelineResult result) {
    long parsed = 0;
    long dead = 0;
    Map<String, Long> byKind = new TreeMap<>();
    boolean known = false;
    try {
      MetricQueryResults metrics =
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(NAMESPACE))
                      .build());
      for (MetricResult<Long> counter : metrics.getCounters()) {
        known = true;
        String name = counter.getName().getName();
        long value = value(counter);
        if (name.equals("parsed")) {
          parsed += value;
        } else if (name.equals("dead_letters")) {
          dead += value;
        } else if (name.startsWith("dead_letters.")) {
          byKind.merge(name.substring("dead_letters.".length()), value, Long::sum);
        }
      }
    } catch (RuntimeException e) {
      known = false; // a runner without metrics: say nothing rather than something wrong
    }
    return new RecordCounts(parsed, dead, byKind, known);
  }

  private static long value(MetricResult<Long> counter) {
    try {
      Long committed = counter.getCommitted();
      if (committed != null) {
        return committed;
      }
    } catch (UnsupportedOperationException e) {
      // attempted only
    }
    Long attempted = counter.getAttempted();
    return attempted == null ? 0 : attempted;
  }

  public long parsed() {
    return parsed;
  }

  public long deadLetters() {
    return deadLetters;
  }

  /** {@code ": 1,234 records read, 1,200 parsed, 34 dead letters (not-json 20, ...)"}, or empty. */
  public String summary() {
    if (!known) {
      return "";
    }
    StringBuilder s =
        new StringBuilder(
            String.format(
                ": %,d records read, %,d parsed, %,d dead letters", parsed + deadLetters, parsed,
                deadLetters));
    if (!deadLettersByKind.isEmpty()) {
      s.append(" (");
      deadLettersByKind.forEach((kind, n) -> s.append(kind).append(' ').append(n).append(", "));
      s.setLength(s.length() - 2);
      s.append(')');
    }
    return s.toString();
  }
}
