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
 * <p>A result's window key is its key fields (those a Kafka record of the output is keyed by, e.g.
 * word-count's {@code word}) and its window ({@code window_start}, {@code window_end}): every pane
 * of a window has the same key. Accumulating, a pane is the window's result so far; discarding, a
 * window's panes add up to it (their figure: one number, e.g. word-count's {@code count}).
 */
final class PaneCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ORDER = List.of("EARLY", "ON_TIME", "LATE");

  private static final List<String> WINDOW_FIELDS = List.of("window_start", "window_end");

  private final Map<String, List<String>> keyFields;
  private final String valueField;
  private final boolean accumulating;
  private final boolean firesEarly;
  private final boolean acceptsLate;

  /**
   * @param keyFields per output ({@code ""}, {@code ".alerts"}, ...) the fields that, with the
   *     window, tell its results apart
   * @param valueField the figure of a main output's result that panes accumulate or add up, a count
   *     (it never goes down), e.g. word-count's {@code count}
   * @param firesEarly whether the windows still open at the end of a stream show early panes
   * @param acceptsLate whether the trigger has an allowed lateness (then LATE panes may follow the
   *     on-time one, which is not final)
   */
  PaneCheck(
      Map<String, List<String>> keyFields,
      String valueField,
      boolean accumulating,
      boolean firesEarly,
      boolean acceptsLate) {
    this.keyFields = Map.copyOf(keyFields);
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

  /** The checks of the job {@code c}'s panes: its key fields and its figure. */
  static PaneCheck of(JobCase c, boolean accumulating, boolean firesEarly, boolean acceptsLate) {
    return new PaneCheck(c.resultKeys(), c.paneFigure(), accumulating, firesEarly, acceptsLate);
  }

  /**
   * Each closed window's result so far in {@code output}, as the model writes it (pane {@code
   * ON_TIME}, index 0, final): accumulating, its latest pane; discarding, the sum of its panes.
   * Windows with no on-time or late pane yet (still open) are left out, and so are alerts whose
   * latest line says {@code "cleared":true}.
   */
  List<String> finalResults(String output, List<String> lines) {
    List<String> results = new ArrayList<>();
    for (List<ObjectNode> panes : byWindow(output, lines).values()) {
      if (panes.stream().allMatch(p -> label(p).equals("EARLY"))) {
        continue;
      }
      ObjectNode result = panes.get(panes.size() - 1).deepCopy();
      if (!accumulating) {
        result.put(valueField, panes.stream().mapToLong(p -> p.path(valueField).asLong()).sum());
      }
      if (result.path("cleared").asBoolean()) {
        continue; // a late pane withdrew the window's alert: as if it had never been raised
      }
      result.put("pane", "ON_TIME");
      result.put("pane_index", 0);
      result.put("final", true);
      results.add(result.toString());
    }
    return results;
  }

  /**
   * What the main output's late panes added, per window key, as {@code key → amount}: accumulating,
   * the latest pane's value minus the on-time pane's (or all of it without one); discarding, the
   * sum of the late panes.
   */
  Map<String, Long> lateAdded(List<String> lines) {
    Map<String, Long> added = new LinkedHashMap<>();
    byWindow("", lines)
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
   * What breaks the contract in the main output, one entry per window: a pane index repeated or
   * negative (a line's index is its window's pane's, so a key first seen in a later pane, like a
   * status class, starts there: indexes rise in firing order but may skip); panes not in the order
   * early, on time (at most one), late; a final pane that is not the last; without allowed
   * lateness, an on-time pane that is not final; accumulating, a value that goes down from one pane
   * to the next.
   */
  List<String> problems(List<String> lines) {
    List<String> problems = new ArrayList<>();
    byWindow("", lines)
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
                long index = pane.path("pane_index").asLong();
                if (index < 0 || (i > 0 && index == panes.get(i - 1).path("pane_index").asLong())) {
                  problems.add(window + ": pane indexes repeat or are negative: " + panes);
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

  /** The lines of {@code output} by their window key, each window's panes by index. */
  Map<String, List<ObjectNode>> byWindow(String output, List<String> lines) {
    Map<String, List<ObjectNode>> windows = new LinkedHashMap<>();
    for (String line : lines) {
      ObjectNode result;
      try {
        result = (ObjectNode) JSON.readTree(line);
      } catch (IOException | ClassCastException e) {
        throw new AssertionError("not a result line: " + line, e);
      }
      windows.computeIfAbsent(windowKey(output, result), k -> new ArrayList<>()).add(result);
    }
    windows
        .values()
        .forEach(p -> p.sort(Comparator.comparingLong(r -> r.path("pane_index").asLong())));
    return windows;
  }

  /** A main output's result line's window key: its key fields and its window. */
  String windowKey(String line) {
    try {
      return windowKey("", (ObjectNode) JSON.readTree(line));
    } catch (IOException | ClassCastException e) {
      throw new AssertionError("not a result line: " + line, e);
    }
  }

  private String windowKey(String output, ObjectNode result) {
    List<String> fields = keyFields.get(output);
    if (fields == null) {
      throw new IllegalArgumentException("no key fields for the output '" + output + "'");
    }
    ObjectNode key = JSON.createObjectNode();
    for (String field : fields) {
      key.set(field, result.get(field)); // absent: null (risk-control's no-profile has no card)
    }
    for (String field : WINDOW_FIELDS) {
      key.set(field, result.get(field));
    }
    return key.toString();
  }

  private static String label(JsonNode pane) {
    return pane.path("pane").asText();
  }
}
