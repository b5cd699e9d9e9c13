package dev.sluice.runners.benchmarks.nativeflink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.transforms.quality.InvalidRecordException;
import org.apache.flink.util.OutputTag;

/** The native jobs' dead letters: the side output a parser sends them to, and their lines. */
final class DeadLetters {
  private DeadLetters() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Lines that do not parse: {"reason","raw"} JSON. */
  static final OutputTag<String> TAG = new OutputTag<>("dead-letters") {};

  /** A dead-letter line: the raw text and why it was refused. */
  static String line(String raw, InvalidRecordException e) {
    ObjectNode node = JSON.createObjectNode();
    node.put("reason", e.kind() + ": " + e.getMessage());
    node.put("raw", raw);
    return node.toString();
  }
}
