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
 * contract promises, and reduces them to each window's final result, to be compared with the
 * reference model (which knows nothing of panes: one final on-time line per key and window).
 *
 * <p>A result's window key is the line without its value field and its pane fields ({@code pane},
 * {@code pane_index}, {@code final}). Accumulating, the on-time pane is the window's result;
 * discarding, the window's panes add up to it.
 */
final class PaneCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PANE_FIELDS = List.of("pane", "pane_index", "final");

  private final String valueField;
  private final boolean accumulating;

  /**
   * @param valueField the summed or accumulated figure of a result, e.g. word-count's {@code count}
   */
  PaneCheck(String valueField, boolean accumulating) {
    this.valueField = valueField;
    this.accumulating = accumulating;
  }

  /**
   * Each window's final result, as the model writes it: the on-time line (its value the sum of the
   * window's panes when they discard) with pane index 0. Windows without an on-time line yet (still
   * open) are left out.
   */
  List<String> finalResults(List<String> lines) {
    List<String> results = new ArrayList<>();
    for (List<ObjectNode> panes : byWindow(lines).values()) {
      ObjectNode onTime = null;
      long sum = 0;
      for (ObjectNode pane : panes) {
        sum += pane.path(valueField).asLong();
        if (pane.path("pane").asText().equals("ON_TIME")) {
          onTime = pane.deepCopy();
        }
      }
      if (onTime == null) {
        continue;
      }
      if (!accumulating) {
        onTime.put(valueField, sum);
      }
      onTime.put("pane_index", 0);
      results.add(onTime.toString());
    }
    return results;
  }

  /**
   * What breaks the contract, one entry per window: pane indexes other than 0, 1, 2, ... in firing
   * order; an on-time pane that is not the last so far or not final; an early pane after the
   * on-time one or marked final; accumulating, a value that goes down from one pane to the next
   * (the value must be a count, which only grows).
   */
  List<String> problems(List<String> lines) {
    List<String> problems = new ArrayList<>();
    byWindow(lines)
        .forEach(
            (window, panes) -> {
              panes.sort(Comparator.comparingLong(p -> p.path("pane_index").asLong()));
              long previous = Long.MIN_VALUE;
              boolean onTimeSeen = false;
              for (int i = 0; i < panes.size(); i++) {
                JsonNode pane = panes.get(i);
                String label = pane.path("pane").asText();
                boolean isFinal = pane.path("final").asBoolean();
                long value = pane.path(valueField).asLong();
                if (pane.path("pane_index").asLong() != i) {
                  problems.add(window + ": pane indexes are not 0, 1, 2, ...: " + panes);
                  return;
                }
                if (label.equals("EARLY") && (onTimeSeen || isFinal)) {
                  problems.add(window + ": an early pane after the on-time one or final: " + pane);
                }
                if (label.equals("ON_TIME")) {
                  onTimeSeen = true;
                  if (!isFinal || i != panes.size() - 1) {
                    problems.add(
                        window + ": the on-time pane is not the final, last one: " + panes);
                  }
                }
                if (accumulating && value < previous) {
                  problems.add(window + ": an accumulating pane went down: " + panes);
                }
                previous = value;
              }
            });
    return problems;
  }

  /** How many of the lines are early panes. */
  static long earlyPanes(List<String> lines) {
    return lines.stream().filter(l -> l.contains("\"pane\":\"EARLY\"")).count();
  }

  /** The lines by their window key, in the order written. */
  private Map<String, List<ObjectNode>> byWindow(List<String> lines) {
    Map<String, List<ObjectNode>> windows = new LinkedHashMap<>();
    for (String line : lines) {
      ObjectNode result;
      try {
        result = (ObjectNode) JSON.readTree(line);
      } catch (IOException | ClassCastException e) {
        throw new AssertionError("not a result line: " + line, e);
      }
      ObjectNode key = result.deepCopy();
      key.remove(valueField);
      key.remove(PANE_FIELDS);
      windows.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(result);
    }
    return windows;
  }
}
