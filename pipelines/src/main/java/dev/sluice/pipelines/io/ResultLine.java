package dev.sluice.pipelines.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.transforms.window.PaneLabel;
import java.time.Instant;
import java.util.List;

/**
 * One result line of the output contract: a JSON object with the job's fields in the order they are
 * put, then, where windowed, {@code window_start} and {@code window_end} as ISO-8601 UTC instants
 * and {@code pane}.
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

  /** Adds the window {@code [startMillis, endMillis)} and the pane label. */
  public ResultLine window(long startMillis, long endMillis, PaneLabel pane) {
    node.put("window_start", instant(startMillis));
    node.put("window_end", instant(endMillis));
    node.put("pane", pane.name());
    return this;
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
