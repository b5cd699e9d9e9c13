package dev.sluice.runners.benchmarks.nativeflink;

import dev.sluice.launcher.generate.GeneratedEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Runs a native Flink job over generated lines in a test folder and reads what it wrote. */
final class NativeFlinkRun {
  private final Path output;

  private NativeFlinkRun(Path output) {
    this.output = output;
  }

  /** Writes {@code events} to a file, runs {@code job} on an embedded Flink with 2 slots. */
  static NativeFlinkRun of(NativeFlinkJob job, GeneratedEvents events, Path dir) throws Exception {
    Path input = dir.resolve("input.jsonl");
    Files.write(input, events.lines(), StandardCharsets.UTF_8);
    Path output = dir.resolve("native");
    NativeFlink.run(job, input.toString(), output.toString(), 2);
    return new NativeFlinkRun(output);
  }

  /** The lines of every part file in {@code <output>/<name>/}, sorted; none if it is missing. */
  List<String> sortedLines(String name) {
    Path folder = output.resolve(name);
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return lines;
    }
    try (Stream<Path> parts = Files.list(folder)) {
      for (Path part : parts.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lines.sort(null);
    return lines;
  }
}
