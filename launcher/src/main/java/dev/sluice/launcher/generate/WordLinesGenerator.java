package dev.sluice.launcher.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Generates the word count's input: JSON lines {@code {"ts": ISO-8601, "text": "..."}} whose words
 * follow a Zipf law over a fixed vocabulary, whose event times advance through a span but arrive
 * out of order within a bound, and, on request, a share of late lines (moved further back) and of
 * malformed lines of every kind the parser refuses. The same settings always give the same lines.
 */
public final class WordLinesGenerator {
  private static final String[] VOCABULARY = {
    "the",
    "stream",
    "window",
    "beam",
    "flink",
    "spark",
    "kafka",
    "event",
    "time",
    "data",
    "pipeline",
    "record",
    "key",
    "value",
    "state",
    "watermark",
    "trigger",
    "pane",
    "late",
    "early",
    "count",
    "word",
    "batch",
    "runner",
    "job",
    "slide",
    "partition",
    "join",
    "sketch",
    "sink",
    "source",
    "topic",
    "offset",
    "commit",
    "checkpoint",
    "savepoint",
    "shard",
    "bundle",
    "coder",
    "schema",
    "log",
    "alert",
    "sensor",
    "device",
    "click",
    "item",
    "user",
    "account",
    "ledger",
    "replay",
    "don't",
    "naïve",
    "über",
    "river",
    "sluice",
    "gate",
    "flow",
    "lake",
    "rain",
    "cloud"
  };

  private long seed = 42;
  private int events = 1_000;
  private Instant start = Instant.parse("2026-01-01T00:00:00Z");
  private long spanMillis = 3_600_000L;
  private long maxDisorderMillis = 120_000L;
  private double malformedShare = 0.0;
  private double lateShare = 0.0;
  private long lateByMillis = 0;
  private int minWords = 1;
  private int maxWords = 12;

  public static WordLinesGenerator create() {
    return new WordLinesGenerator();
  }

  public WordLinesGenerator seed(long value) {
    seed = value;
    return this;
  }

  /** Number of lines, malformed ones included. */
  public WordLinesGenerator events(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("events must be 0 or more, was " + value);
    }
    events = value;
    return this;
  }

  /** Event times spread over {@code [start, start + spanMillis)}. */
  public WordLinesGenerator span(Instant value, long millis) {
    if (millis <= 0) {
      throw new IllegalArgumentException("span must be positive, was " + millis);
    }
    start = value;
    spanMillis = millis;
    return this;
  }

  /** How far back an event's time may lie behind the one before it. */
  public WordLinesGenerator maxDisorderMillis(long value) {
    maxDisorderMillis = value;
    return this;
  }

  /** Share of lines, in [0, 1], that are malformed. */
  public WordLinesGenerator malformedShare(double value) {
    if (value < 0 || value > 1) {
      throw new IllegalArgumentException("malformed share must be in [0, 1], was " + value);
    }
    malformedShare = value;
    return this;
  }

  /**
   * A share of lines, in [0, 1], whose event time is moved back a further {@code byMillis}: late in
   * a stream whose out-of-order bound is smaller.
   */
  public WordLinesGenerator late(double share, long byMillis) {
    if (share < 0 || share > 1 || byMillis < 0) {
      throw new IllegalArgumentException(
          "late share must be in [0, 1] and its distance not negative, was "
              + share
              + " and "
              + byMillis);
    }
    lateShare = share;
    lateByMillis = byMillis;
    return this;
  }

  /** The generated lines, and which of them (1-based line numbers) were made malformed, or late. */
  public record Generated(
      List<String> lines,
      SortedSet<Integer> malformedLineNumbers,
      SortedSet<Integer> lateLineNumbers) {}

  /** The lines, in file order. */
  public List<String> lines() {
    return generate().lines();
  }

  /** The lines and the numbers of the malformed ones. */
  public Generated generate() {
    SortedSet<Integer> malformedLines = new TreeSet<>();
    SortedSet<Integer> lateLines = new TreeSet<>();
    SplittableRandom random = new SplittableRandom(seed);
    Zipf zipf = new Zipf(VOCABULARY.length, 1.1);
    List<String> lines = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      long base = start.toEpochMilli() + spanMillis * i / Math.max(1, events);
      long t = Math.max(start.toEpochMilli(), base - random.nextLong(maxDisorderMillis + 1));
      // Drawn only when asked for, so that lines without late ones stay as they always were.
      if (lateShare > 0 && random.nextDouble() < lateShare) {
        t -= lateByMillis;
        lateLines.add(i + 1);
      }
      int n = minWords + random.nextInt(maxWords - minWords + 1);
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < n; w++) {
        String word = VOCABULARY[zipf.sample(random)];
        if (w > 0) {
          text.append(random.nextInt(8) == 0 ? ", " : " ");
        }
        text.append(random.nextInt(10) == 0 ? word.toUpperCase() : word);
      }
      if (random.nextDouble() < 0.1) {
        text.append(random.nextBoolean() ? "." : "!");
      }
      String ts = Instant.ofEpochMilli(t).toString();
      boolean malformed = malformedShare > 0 && random.nextDouble() < malformedShare;
      if (malformed) {
        malformedLines.add(i + 1);
      }
      lines.add(malformed ? malformed(random, ts, text.toString()) : good(ts, text.toString()));
    }
    return new Generated(
        List.copyOf(lines),
        Collections.unmodifiableSortedSet(malformedLines),
        Collections.unmodifiableSortedSet(lateLines));
  }

  /** Writes the lines to {@code file} (UTF-8, one per line) and returns what it wrote. */
  public Generated writeTo(Path file) throws IOException {
    Generated generated = generate();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.write(file, generated.lines(), StandardCharsets.UTF_8);
    return generated;
  }

  private static String good(String ts, String text) {
    return "{\"ts\":\"" + ts + "\",\"text\":\"" + escape(text) + "\"}";
  }

  private static String malformed(SplittableRandom random, String ts, String text) {
    switch (random.nextInt(6)) {
      case 0:
        return good(ts, text).substring(0, 10); // cut short: broken JSON
      case 1:
        return "{\"text\":\"" + escape(text) + "\"}"; // missing ts
      case 2:
        return "{\"ts\":\"yesterday\",\"text\":\"" + escape(text) + "\"}"; // bad timestamp
      case 3:
        return "{\"ts\":\"" + ts + "\",\"text\":42}"; // wrong type
      case 4:
        return "[\"" + ts + "\"]"; // not an object
      default:
        return "{\"ts\":\"" + ts + "\"}"; // missing text
    }
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
