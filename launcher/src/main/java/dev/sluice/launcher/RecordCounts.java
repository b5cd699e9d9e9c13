package dev.sluice.launcher;

import dev.sluice.pipelines.io.WriteLines;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * A run's records in and out, from its counters: {@code sluice.quality} of {@code
 * ParseOrDeadLetter} (parsed + dead letters + late = records read; a late record arrived behind a
 * stream's watermark and is in the dead-letter output as kind {@code late}, but is counted apart
 * from the records that were bad) and {@code sluice.io lines_written} of {@link WriteLines} (every
 * line handed to a sink: results, alerts and dead letters). Said while a job runs ({@link
 * Progress}) and at its end.
 */
public final class RecordCounts {
  private static final String QUALITY = "sluice.quality";

  private long parsed;
  private long deadLetters;
  private long late;
  private long written;
  private final Map<String, Long> deadLettersByKind = new TreeMap<>();
  private boolean known;

  private RecordCounts() {}

  /** Counts with nothing known yet: no summary. */
  public static RecordCounts unknown() {
    return new RecordCounts();
  }

  /** The counts a result reports (attempted while running, committed where the runner has them). */
  public static RecordCounts of(PipelineResult result) {
    RecordCounts counts = new RecordCounts();
    try {
      MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
      for (MetricResult<Long> counter : metrics.getCounters()) {
        counts.add(counter.getName().getNamespace(), counter.getName().getName(), value(counter));
      }
    } catch (RuntimeException e) {
      return unknown(); // a runner without metrics: say nothing rather than something wrong
    }
    return counts;
  }

  /** Counts from (namespace, name, value) triples an engine's own API reported; summed. */
  public static RecordCounts ofCounters(Iterable<Counter> counters) {
    RecordCounts counts = new RecordCounts();
    for (Counter c : counters) {
      counts.add(c.namespace(), c.name(), c.value());
    }
    return counts;
  }

  /** One counter value of one step. */
  public record Counter(String namespace, String name, long value) {}

  private void add(String namespace, String name, long value) {
    if (namespace.equals(WriteLines.METRICS_NAMESPACE) && name.equals(WriteLines.LINES_WRITTEN)) {
      known = true;
      written += value;
    } else if (namespace.equals(QUALITY)) {
      known = true;
      if (name.equals("parsed")) {
        parsed += value;
      } else if (name.equals("dead_letters")) {
        deadLetters += value;
      } else if (name.equals("late")) {
        late += value;
      } else if (name.startsWith("dead_letters.")) {
        deadLettersByKind.merge(name.substring("dead_letters.".length()), value, Long::sum);
      }
    }
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

  public boolean known() {
    return known;
  }

  public long read() {
    return parsed + deadLetters + late;
  }

  public long parsed() {
    return parsed;
  }

  public long deadLetters() {
    return deadLetters;
  }

  /**
   * Records that arrived behind a stream's watermark (in the dead-letter output as {@code late}).
   */
  public long late() {
    return late;
  }

  /** Dead letters per kind ({@code not-json}, {@code unexpected-type}, ...), by kind's name. */
  public Map<String, Long> deadLettersByKind() {
    return java.util.Collections.unmodifiableMap(new TreeMap<>(deadLettersByKind));
  }

  /** Lines handed to every sink of the job (results, alerts, dead letters). */
  public long written() {
    return written;
  }

  /**
   * {@code "1,234 records read, 1,200 parsed, 30 dead letters (not-json 20, ...), 4 late records,
   * 310 lines written"}, or empty if the runner reported none of these counters.
   */
  public String describe() {
    if (!known) {
      return "";
    }
    StringBuilder s =
        new StringBuilder(
            String.format(
                "%,d records read, %,d parsed, %,d dead letters", read(), parsed, deadLetters));
    if (!deadLettersByKind.isEmpty()) {
      s.append(" (");
      deadLettersByKind.forEach((kind, n) -> s.append(kind).append(' ').append(n).append(", "));
      s.setLength(s.length() - 2);
      s.append(')');
    }
    s.append(String.format(", %,d late records, %,d lines written", late, written));
    return s.toString();
  }

  /** {@link #describe()} after {@code ": "}, for the end-of-run line; or empty. */
  public String summary() {
    return known ? ": " + describe() : "";
  }
}
