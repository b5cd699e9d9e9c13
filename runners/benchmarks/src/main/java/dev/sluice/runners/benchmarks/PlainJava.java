package dev.sluice.runners.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU floor of a job's logic: its plain-Java reference model on one thread, no framework.
 * {@code PlainJava <job> --input=PATH --output=DIR}: reads the file, computes, writes each output
 * as {@code DIR/out-00000-of-00001.jsonl} ({@code out.alerts-…} for alerts), as a Beam job's files
 * are named. Prints {@code plain-java: <job> finished in S s} to standard error.
 */
public final class PlainJava {
  private PlainJava() {}

  public static void main(String[] args) throws IOException {
    BenchFlags flags = BenchFlags.parse("plain-java", args, 1, List.of("input", "output"));
    Workload workload =
        Workload.named(args[0])
            .orElseThrow(() -> new IllegalArgumentException("plain-java: unknown job " + args[0]));
    long start = System.nanoTime();
    List<String> lines = Files.readAllLines(Path.of(flags.get("input")), StandardCharsets.UTF_8);
    Map<String, List<String>> outputs = workload.model().apply(lines);
    Path dir = Files.createDirectories(Path.of(flags.get("output")));
    for (Map.Entry<String, List<String>> output : outputs.entrySet()) {
      Files.write(
          dir.resolve("out" + output.getKey() + "-00000-of-00001.jsonl"),
          output.getValue(),
          StandardCharsets.UTF_8);
    }
    System.err.printf(
        Locale.ROOT,
        "plain-java: %s finished in %.1f s%n",
        workload.job(),
        (System.nanoTime() - start) / 1e9);
  }
}
