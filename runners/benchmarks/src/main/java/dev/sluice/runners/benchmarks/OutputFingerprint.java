package dev.sluice.runners.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a run wrote, in a form two runs can be compared by: per output ({@code ""} results, {@code
 * ".alerts"}) the number of lines and an order-independent hash of them (the sum of each line's
 * 64-bit FNV-1a hash). Knows both layouts: Beam's and the plain model's files {@code out-…}, {@code
 * out.alerts-…}, and the native Flink job's folders {@code out/}, {@code alerts/}. Dead letters are
 * left out (the benchmark's input has none).
 */
record OutputFingerprint(Map<String, Long> lines, Map<String, Long> hashes) {

  static OutputFingerprint of(Path runDir) {
    OutputFingerprint fingerprint = new OutputFingerprint(new TreeMap<>(), new TreeMap<>());
    try (Stream<Path> files = Files.walk(runDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String output = outputOf(runDir.relativize(file));
        if (output == null) {
          continue;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            fingerprint.add(output, line);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fingerprint;
  }

  /** The fingerprint of expected lines per output. */
  static OutputFingerprint ofExpected(Map<String, List<String>> outputs) {
    OutputFingerprint fingerprint = new OutputFingerprint(new TreeMap<>(), new TreeMap<>());
    outputs.forEach((output, expected) -> expected.forEach(line -> fingerprint.add(output, line)));
    return fingerprint;
  }

  private void add(String output, String line) {
    lines.merge(output, 1L, Long::sum);
    hashes.merge(output, fnv1a(line), Long::sum);
  }

  long resultLines() {
    return lines.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Which output a file under a run folder belongs to, or null (logs, dead letters, hidden). */
  private static String outputOf(Path relative) {
    String first = relative.getName(0).toString();
    String name = relative.getFileName().toString();
    if (name.startsWith(".") || name.endsWith(".log")) {
      return null;
    }
    if (relative.getNameCount() > 1) {
      return switch (first) {
        case "out" -> "";
        case "alerts" -> ".alerts";
        default -> null;
      };
    }
    if (name.startsWith("out.alerts-")) {
      return ".alerts";
    }
    if (name.startsWith("out-")) {
      return "";
    }
    return null;
  }

  private static long fnv1a(String line) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : line.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
