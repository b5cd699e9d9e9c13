package dev.sluice.runners.direct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipelines.cli.Sluice;
import dev.sluice.testing.OutputFiles;
import dev.sluice.testing.generate.WordLinesGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./sluice demo}: generates a small sample of timestamped text, runs {@code word-count} on
 * the DirectRunner through the command line, and prints the top words of each window as a table.
 */
public final class Demo {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TOP = 3;

  private Demo() {}

  public static void main(String[] args) throws IOException {
    Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("sluice-demo-");
    System.exit(run(work, System.out, System.err));
  }

  static int run(Path work, PrintStream out, PrintStream err) throws IOException {
    Path input = work.resolve("input/lines.jsonl");
    Path output = work.resolve("output/counts");
    int events = 2_000;
    WordLinesGenerator.create()
        .seed(2026)
        .events(events)
        .span(Instant.parse("2026-01-01T09:00:00Z"), 30 * 60_000L)
        .malformedShare(0.01)
        .writeTo(input);
    out.printf("Generated %d timestamped lines (1%% malformed on purpose) in %s%n", events, input);
    out.println("Running word-count on the DirectRunner: 10-minute windows every 5 minutes...");
    int code =
        Sluice.run(
            new String[] {
              "run", "word-count",
              "--input=file:" + input,
              "--output=file:" + output,
              "--windowSize=10m",
              "--windowPeriod=5m",
              "--numShards=1"
            },
            out,
            err);
    if (code != Sluice.OK) {
      return code;
    }
    printTopWords(OutputFiles.sortedLines(output), out);
    int deadLetters = OutputFiles.sortedLines(Path.of(output + ".dead-letters")).size();
    out.printf("%nAll results: %s-*.jsonl%n", output);
    out.printf(
        "%d malformed lines went to the dead letters, with their reasons: %s.dead-letters-*.jsonl%n",
        deadLetters, output);
    return Sluice.OK;
  }

  /** The {@value #TOP} most frequent words of each window, windows in time order. */
  static void printTopWords(List<String> lines, PrintStream out) {
    Map<String, List<JsonNode>> byWindow = new TreeMap<>();
    for (String line : lines) {
      JsonNode node = read(line);
      String window = node.get("window_start").asText() + " – " + node.get("window_end").asText();
      byWindow.computeIfAbsent(window, w -> new ArrayList<>()).add(node);
    }
    String format = "%-45s  %-12s  %6s  %s%n";
    out.printf("%n" + format, "window", "word", "count", "pane");
    out.printf(format, "-".repeat(45), "-".repeat(12), "-".repeat(6), "-".repeat(8));
    byWindow.forEach(
        (window, counts) ->
            counts.stream()
                .sorted(
                    Comparator.comparingLong((JsonNode n) -> -n.get("count").asLong())
                        .thenComparing(n -> n.get("word").asText()))
                .limit(TOP)
                .forEach(
                    n ->
                        out.printf(
                            format,
                            window,
                            n.get("word").asText(),
                            n.get("count").asLong(),
                            n.get("pane").asText())));
  }

  private static JsonNode read(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
