package dev.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads what a job wrote under an output prefix: {@code <prefix>-SSSSS-of-NNNNN.jsonl}. */
public final class OutputFiles {
  private OutputFiles() {}

  /** The shard files written under {@code prefix}, sorted by name. */
  public static List<Path> shards(Path prefix) {
    Path dir = prefix.toAbsolutePath().getParent();
    String glob = prefix.getFileName() + "-[0-9]*-of-[0-9]*.jsonl";
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Collections.sort(files);
    return files;
  }

  /**
   * Every file and folder under {@code dir} but {@code input}: what a run refused before launch
   * must not have written.
   */
  public static List<Path> writtenIn(Path dir, Path input) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> !f.equals(dir) && !f.equals(input)).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every line of every shard under {@code prefix}, sorted (shard order is the runner's). */
  public static List<String> sortedLines(Path prefix) {
    return linesOf(shards(prefix));
  }

  /**
   * Every line a stream wrote under {@code prefix} so far, sorted: its files are written in
   * batches, one set per pane ({@code <prefix>-GlobalWindow-pane-N-SSSSS-of-NNNNN.jsonl}).
   */
  public static List<String> streamedLines(Path prefix) {
    Path dir = prefix.toAbsolutePath().getParent();
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      String glob = prefix.getFileName() + "-GlobalWindow-pane-*-of-*.jsonl";
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
        stream.forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return linesOf(files);
  }

  private static List<String> linesOf(List<Path> files) {
    List<String> lines = new ArrayList<>();
    for (Path shard : files) {
      try {
        lines.addAll(Files.readAllLines(shard, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Collections.sort(lines);
    return lines;
  }
}
