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

  /** Every line of every shard under {@code prefix}, sorted (shard order is the runner's). */
  public static List<String> sortedLines(Path prefix) {
    List<String> lines = new ArrayList<>();
    for (Path shard : shards(prefix)) {
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
