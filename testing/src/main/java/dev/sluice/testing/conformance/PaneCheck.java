package dev.sluice.testing.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the panes of a triggered job's results ({@code --trigger}) against what the output
 * contract promises, and reduces them to each window's result as the reference model writes it (the
 * model knows nothing of panes: one final on-time line per key and window).
 *
 * <p>A result's window key is the line without its value field and its pane fields ({@code pane},
 * {@code pane_index}, {@code final}). Accumulating, a pane is the window's result so far;
 * discarding, a window's panes add up to it.
 */
final class PaneCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PANE_FIELDS = List.of("pane", "pane_index", "final");
  private static final List<String> ORDER = List.of("EARLY", "ON_TIME", "LATE");

  private final String valueField;
  private final boolean accumulating;
  private final boolean firesEarly;
  private final boolean acceptsLate;

  /**
   * @param valueField the figure of a result that panes accumulate or add up, a count (it never
   *     goes down), e.g. word-count's {@code count}
   * @param firesEarly whether the trigger has early firings
   * @param acceptsLate whether the trigger has an allowed lateness (then LATE panes may follow the
   *     on-time one, which is not final)
   */
  PaneCheck(String valueField, boolean accumulating, boolean firesEarly, boolean acceptsLate) {
    this.valueField = valueField;
    this.accumulating = accumulating;
    this.firesEarly = firesEarly;
    this.acceptsLate = acceptsLate;
  }

  boolean firesEarly() {
    return firesEarly;
  }

  boolean acceptsLate() {
    return acceptsLate;
  }

  /**
   * Each closed window's result so far, as the model writes it (pane {@code ON_TIME}, index 0,
   * final): accumulating, its latest pane; discarding, the sum of its panes. Windows with no
   * on-time or late pane yet (still open) are left out.
   */
  List<String> finalResults(List<String> lines) {
    List<String> results = new ArrayList<>();
    for (List<ObjectNode> panes : byWindow(lines).values()) {
      if (panes.stream().allMatch(p -> label(p).equals("EARLY"))) {
        continue;
      }
      ObjectNode result = panes.get(panes.size() - 1).deepCopy();
      if (!accumulating) {
        result.put(valueField, panes.stream().mapToLong(p -> p.path(valueField).asLong()).sum());
      }
      result.put("pane", "ON_TIME");
      result.put("pane_index", 0);
      result.put("final", true);
      results.add(result.toString());
    }
    return results;
  }

  /**
   * What the windows' late panes added, per window key, as {@code key → amount}: accumulating, the
   * latest pane's value minus the on-time pane's (or all of it without one); discarding, the sum of
   * the late panes.
   */
  Map<String, Long> lateAdded(List<String> lines) {
    Map<String, Long> added = new LinkedHashMap<>();
    byWindow(lines)
        .forEach(
            (window, panes) -> {
              long late = 0;
              long before = 0;
              for (ObjectNode pane : panes) {
                long value = pane.path(valueField).asLong();
                if (label(pane).equals("LATE")) {
                  late = accumulating ? value - before : late + value;
                } else if (accumulating) {
                  before = value;
                }
              }
              if (late != 0) {
                added.put(window, late);
              }
            });
    return added;
  }

  /**
   * What breaks the contract, one entry per window: pane indexes other than 0, 1, 2, ... in firing
   * order; panes not in the order early, on time (at most one), late; a final pane that is not the
   * last; without allowed lateness, an on-time pane that is not final; accumulating, a value that
   * goes down from one pane to the next.
   */
  List<String> problems(List<String> lines) {
    List<String> problems = new ArrayList<>();
    byWindow(lines)
        .forEach(
            (window, panes) -> {
              int previousLabel = 0;
              long previous = Long.MIN_VALUE;
              for (int i = 0; i < panes.size(); i++) {
                JsonNode pane = panes.get(i);
                String label = label(pane);
                boolean isFinal = pane.path("final").asBoolean();
                long value = pane.path(valueField).asLong();
                int order = ORDER.indexOf(label);
                if (pane.path("pane_index").asLong() != i) {
                  problems.add(window + ": pane indexes are not 0, 1, 2, ...: " + panes);
                  return;
                }
                if (order < previousLabel || (order == 1 && previousLabel == 1) || order < 0) {
                  problems.add(window + ": panes not early, on time, late: " + panes);
                }
                if (isFinal && i != panes.size() - 1) {
                  problems.add(window + ": a final pane is not the last: " + panes);
                }
                if (label.equals("ON_TIME") && !acceptsLate && !isFinal) {
                  problems.add(window + ": the on-time pane is not final: " + panes);
                }
                if (accumulating && value < previous) {
                  problems.add(window + ": an accumulating pane went down: " + panes);
                }
                previousLabel = Math.max(previousLabel, order);
                previous = value;
              }
            });
    return problems;
  }

  /** How many of the lines are panes labelled {@code label} (EARLY, ON_TIME, LATE). */
  static long panes(List<String> lines, String label) {
    return lines.stream().filter(l -> l.contains("\"pane\":\"" + label + "\"")).count();
  }

  /** The lines by their window key, each window's panes by index. */
  Map<String, List<ObjectNode>> byWindow(List<String> lines) {
    Map<String, List<ObjectNode>> windows = new LinkedHashMap<>();
    for (String line : lines) {
      ObjectNode result;
      try {
        result = (ObjectNode) JSON.readTree(line);
      } catch (IOException | ClassCastException e) {
        throw new AssertionError("not a result line: " + line, e);
      }
      windows.computeIfAbsent(windowKey(result), k -> new ArrayList<>()).add(result);
    }
    windows
        .values()
        .forEach(p -> p.sort(Comparator.comparingLong(r -> r.path("pane_index").asLong())));
    return windows;
  }

  /** A result line's window key: the line without its value and pane fields. */
  String windowKey(String line) {
    try {
      return windowKey((ObjectNode) JSON.readTree(line));
    } catch (IOException | ClassCastException e) {
      throw new AssertionError("not a result line: " + line, e);
    }
  }

  private String windowKey(ObjectNode result) {
    ObjectNode key = result.deepCopy();
    key.remove(valueField);
    key.remove(PANE_FIELDS);
    return key.toString();
  }

  private static String label(JsonNode pane) {
    return pane.path("pane").asText();
  }
}
