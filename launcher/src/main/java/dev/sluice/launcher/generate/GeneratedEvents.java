package dev.sluice.launcher.generate;

import java.util.List;
import java.util.SortedSet;

/**
 * What a generator made: the records in order (one JSON or text line each), each one's event time
 * in epoch millis ({@code null} where a malformed record has none), the 1-based numbers of the
 * malformed and of the late records, and each record's key (or {@code null}) for Kafka.
 */
public record GeneratedEvents(
    List<String> lines,
    List<Long> eventTimes,
    List<String> keys,
    SortedSet<Integer> malformedLineNumbers,
    SortedSet<Integer> lateLineNumbers) {

  public GeneratedEvents {
    if (eventTimes.size() != lines.size() || keys.size() != lines.size()) {
      throw new IllegalArgumentException("one event time and one key (or null) per line");
    }
  }
}
