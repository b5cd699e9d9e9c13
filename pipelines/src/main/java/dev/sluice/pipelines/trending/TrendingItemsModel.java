package dev.sluice.pipelines.trending;

import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.joda.time.Duration;

/**
 * Trending items computed without Beam: the independent expected answer for tests. Batch semantics:
 * all input is read before any window closes, so every window has exactly one, on-time top list per
 * category. Lines that do not parse are skipped (the pipeline routes them to dead letters).
 * Distinct users are counted exactly, with a set per item and window.
 *
 * <p>A click at time {@code t} belongs to every window {@code [s, s + size)} with {@code s} a
 * multiple of the period and {@code s <= t < s + size}. In each window and category, items are
 * ordered by clicks descending, then by item id ascending ({@link String#compareTo}), and the first
 * {@code topN} are ranked 1, 2, ...
 */
public final class TrendingItemsModel {
  /** The key of the main output in {@link #compute}'s map. */
  public static final String MAIN_OUTPUT = "";

  private final long sizeMillis;
  private final long periodMillis;
  private final int topN;

  /** window start → category → item → figures; ordered so the output is deterministic. */
  private final Map<Long, Map<String, Map<String, Figures>>> windows = new TreeMap<>();

  public TrendingItemsModel(Duration size, Duration period, int topN) {
    this.sizeMillis = size.getMillis();
    this.periodMillis = period.getMillis();
    this.topN = topN;
  }

  /** One item's clicks and the set of users who made them, in one window. */
  private static final class Figures {
    long clicks;
    final Set<String> users = new HashSet<>();
  }

  /** Adds one raw input line; returns false if it does not parse. */
  public boolean add(String line) {
    ClickEvent click;
    try {
      click = ClickEvent.parse(line);
    } catch (InvalidRecordException e) {
      return false;
    }
    long t = click.timestampMillis();
    long lastStart = t - Math.floorMod(t, periodMillis);
    for (long start = lastStart; start > t - sizeMillis; start -= periodMillis) {
      Figures figures =
          windows
              .computeIfAbsent(start, s -> new TreeMap<>())
              .computeIfAbsent(click.category(), c -> new TreeMap<>())
              .computeIfAbsent(click.item(), i -> new Figures());
      figures.clicks++;
      figures.users.add(click.user());
    }
    return true;
  }

  /** The result lines, ordered by window start, category, then rank. */
  public List<String> results() {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<Long, Map<String, Map<String, Figures>>> window : windows.entrySet()) {
      long start = window.getKey();
      for (Map.Entry<String, Map<String, Figures>> category : window.getValue().entrySet()) {
        List<Map.Entry<String, Figures>> items = new ArrayList<>(category.getValue().entrySet());
        items.sort(
            (a, b) -> {
              int byClicks = Long.compare(b.getValue().clicks, a.getValue().clicks);
              return byClicks != 0 ? byClicks : a.getKey().compareTo(b.getKey());
            });
        for (int rank = 1; rank <= Math.min(topN, items.size()); rank++) {
          Map.Entry<String, Figures> item = items.get(rank - 1);
          lines.add(
              ResultLine.create()
                  .put("category", category.getKey())
                  .put("rank", rank)
                  .put("item", item.getKey())
                  .put("clicks", item.getValue().clicks)
                  .put("distinct_users", item.getValue().users.size())
                  .finalWindow(start, start + sizeMillis)
                  .toJson());
        }
      }
    }
    return lines;
  }

  /**
   * The model's result lines for {@code inputLines}, per output: {@link #MAIN_OUTPUT} for {@code
   * --output} (the job has no other output).
   */
  public static Map<String, List<String>> compute(
      List<String> inputLines, Duration size, Duration period, int topN) {
    TrendingItemsModel model = new TrendingItemsModel(size, period, topN);
    inputLines.forEach(model::add);
    return Map.of(MAIN_OUTPUT, model.results());
  }
}
