package dev.sluice.pipelines.wordcount;

import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.joda.time.Duration;

/**
 * The word count computed without Beam, the independent expected answer for tests and the
 * plain-Java baseline for benchmarks. Batch semantics: all input is read before any window closes,
 * so every window has exactly one, on-time result. Lines that do not parse are skipped (the
 * pipeline routes them to dead letters).
 *
 * <p>A timestamp {@code t} belongs to every window {@code [s, s + size)} with {@code s} a multiple
 * of the period and {@code s <= t < s + size}.
 */
public final class SlidingWordCountModel {
  private final long sizeMillis;
  private final long periodMillis;

  /** (window start, word) → count, ordered so the output is deterministic. */
  private final Map<Long, Map<String, Long>> counts = new TreeMap<>();

  public SlidingWordCountModel(Duration size, Duration period) {
    this.sizeMillis = size.getMillis();
    this.periodMillis = period.getMillis();
  }

  /** Adds one raw input line; returns false if it does not parse. */
  public boolean add(String line) {
    TextEvent event;
    try {
      event = TextEvent.parse(line);
    } catch (InvalidRecordException e) {
      return false;
    }
    long t = event.timestampMillis();
    long lastStart = t - Math.floorMod(t, periodMillis);
    for (String word : Words.split(event.text())) {
      for (long start = lastStart; start > t - sizeMillis; start -= periodMillis) {
        counts.computeIfAbsent(start, s -> new TreeMap<>()).merge(word, 1L, Long::sum);
      }
    }
    return true;
  }

  /** The result lines, ordered by window start, then word. */
  public List<String> results() {
    List<String> lines = new ArrayList<>();
    counts.forEach(
        (start, words) ->
            words.forEach(
                (word, count) ->
                    lines.add(
                        ResultLine.create()
                            .put("word", word)
                            .put("count", count)
                            .finalWindow(start, start + sizeMillis)
                            .toJson())));
    return lines;
  }

  /** The model's result lines for {@code inputLines}. */
  public static List<String> compute(Iterable<String> inputLines, Duration size, Duration period) {
    SlidingWordCountModel model = new SlidingWordCountModel(size, period);
    inputLines.forEach(model::add);
    return model.results();
  }
}
