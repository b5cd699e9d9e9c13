package dev.sluice.pipelines.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.transforms.window.PaneLabel;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * One result line of the output contract: a JSON object with the job's fields in the order they are
 * put, then, where windowed, {@code window_start} and {@code window_end} as ISO-8601 UTC instants,
 * {@code pane} ({@code EARLY}, {@code ON_TIME} or {@code LATE}), {@code pane_index} (0 for a
 * window's first pane, then 1, 2, ... in firing order; a line takes the index of the pane it came
 * in, so a line that first appears in a later pane, e.g. a status class first seen there, starts at
 * that pane's index) and {@code final} (true when no later pane of the window will follow: always
 * for the default trigger, one on-time pane per window).
 */
public final class ResultLine {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode node = JSON.createObjectNode();

  private ResultLine() {}

  public static ResultLine create() {
    return new ResultLine();
  }

  public ResultLine put(String field, String value) {
    node.put(field, value);
    return this;
  }

  public ResultLine put(String field, long value) {
    node.put(field, value);
    return this;
  }

  public ResultLine put(String field, double value) {
    node.put(field, value);
    return this;
  }

  public ResultLine put(String field, boolean value) {
    node.put(field, value);
    return this;
  }

  /** Adds a JSON array of strings, in the order given (sort it first for a deterministic line). */
  public ResultLine putStrings(String field, List<String> values) {
    ArrayNode array = node.putArray(field);
    values.forEach(array::add);
    return this;
  }

  /**
   * Adds a JSON array of numbers, in the order given: {@code Long}s and {@code Integer}s as whole
   * numbers, other numbers as doubles.
   */
  public ResultLine putNumbers(String field, List<? extends Number> values) {
    ArrayNode array = node.putArray(field);
    for (Number value : values) {
      if (value instanceof Long || value instanceof Integer) {
        array.add(value.longValue());
      } else {
        array.add(value.doubleValue());
      }
    }
    return this;
  }

  /** Adds the window {@code [startMillis, endMillis)} and its pane. */
  public ResultLine window(
      long startMillis, long endMillis, PaneLabel pane, long paneIndex, boolean isFinal) {
    node.put("window_start", instant(startMillis));
    node.put("window_end", instant(endMillis));
    node.put("pane", pane.name());
    node.put("pane_index", paneIndex);
    node.put("final", isFinal);
    return this;
  }

  /** Adds the window {@code [startMillis, endMillis)} and the pane the result fired in. */
  public ResultLine window(long startMillis, long endMillis, PaneInfo pane) {
    return window(startMillis, endMillis, PaneLabel.of(pane), pane.getIndex(), pane.isLast());
  }

  /** Adds the window and the pane a result fired in. */
  public ResultLine window(IntervalWindow window, PaneInfo pane) {
    return window(window.start().getMillis(), window.end().getMillis(), pane);
  }

  /**
   * Adds the window {@code [startMillis, endMillis)} as the default trigger fires it: its one pane,
   * on time and final (what a reference model writes).
   */
  public ResultLine finalWindow(long startMillis, long endMillis) {
    return window(startMillis, endMillis, PaneLabel.ON_TIME, 0, true);
  }

  /** An instant as the contract writes it, e.g. {@code 2026-11-21T10:15:00Z}. */
  public static String instant(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot format a result line", e);
    }
  }
}
