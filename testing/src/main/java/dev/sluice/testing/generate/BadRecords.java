package dev.sluice.testing.generate;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Makes a dirty copy of a clean dataset of JSON lines: inserts bad records among the clean ones,
 * spread evenly over six kinds, and remembers exactly which line numbers are bad and which
 * dead-letter kind each must get. The clean lines keep their order, so a job's good results on the
 * dirty file must equal its results on the clean one. The file is written as bytes (the {@code
 * not-utf8} records must survive); the same seed gives the same file.
 *
 * <p>The kinds, and what a job's parser in the Sluice style (a required ISO-8601-or-epoch-millis
 * time field and a required string field) says of them:
 *
 * <ul>
 *   <li>{@code not-json}: a clean line cut short, missing a comma, or with an extra unclosed
 *       bracket in front.
 *   <li>{@code wrong-type}: the string field as a number, a boolean, an array or an object.
 *   <li>{@code missing-field}: the time or the string field left out, or null.
 *   <li>{@code bad-timestamp}: an unparsable time, a month 13, the year 999999999, epoch millis
 *       past Beam's largest timestamp, or {@code true}.
 *   <li>{@code oversize}: a valid line longer than the reader's limit.
 *   <li>{@code not-utf8}: a valid line with bytes that are not UTF-8 in its text (0xC3 0x28, a lone
 *       0xFF, an overlong 0xC0 0xAF, an encoded surrogate 0xED 0xA0 0x80, a cut 0xE2 0x82).
 * </ul>
 *
 * <pre>{@code
 * BadRecords.Injected bad = BadRecords.forFields("ts", "text").withMaxRecordBytes(4096)
 *     .writeDirty(cleanLines, 10_000, Path.of("dirty.jsonl"));
 * bad.expected();   // line number -> kind (and the offset of the first bad byte for not-utf8)
 * }</pre>
 */
public final class BadRecords {
  /** The six kinds, as the dead letters name them. */
  public static final List<String> KINDS =
      List.of("not-json", "wrong-type", "missing-field", "bad-timestamp", "oversize", "not-utf8");

  private static final byte[][] NOT_UTF8 = {
    {(byte) 0xC3, 0x28},
    {(byte) 0xFF},
    {(byte) 0xC0, (byte) 0xAF},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xE2, (byte) 0x82}
  };

  private final String timeField;
  private final String textField;
  private final long seed;
  private final int maxRecordBytes;

  private BadRecords(String timeField, String textField, long seed, int maxRecordBytes) {
    this.timeField = timeField;
    this.textField = textField;
    this.seed = seed;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * For lines {@code {"<timeField>": ..., "<textField>": "...", ...}}; seed 7, a reader limit of 1
   * MiB.
   */
  public static BadRecords forFields(String timeField, String textField) {
    return new BadRecords(timeField, textField, 7, 1 << 20);
  }

  public BadRecords withSeed(long value) {
    return new BadRecords(timeField, textField, value, maxRecordBytes);
  }

  /** The reader's limit the oversize records must pass (each is 1.5 to 3 times as long). */
  public BadRecords withMaxRecordBytes(int value) {
    if (value < 64) {
      throw new IllegalArgumentException("maxRecordBytes must be at least 64, was " + value);
    }
    return new BadRecords(timeField, textField, seed, value);
  }

  /**
   * A bad line's bytes, its dead-letter kind, for not-utf8 the first bad byte's offset (else -1).
   */
  public record Expected(String kind, int badByteOffset, byte[] bytes) {}

  /** The dirty file's line count and its bad lines (1-based line number to expectation). */
  public record Injected(long lines, SortedMap<Long, Expected> expected) {
    /** How many bad lines of each kind (all six kinds, zero included). */
    public Map<String, Long> countsByKind() {
      Map<String, Long> counts = new TreeMap<>();
      KINDS.forEach(k -> counts.put(k, 0L));
      expected.values().forEach(e -> counts.merge(e.kind(), 1L, Long::sum));
      return counts;
    }
  }

  /**
   * Writes {@code clean} with {@code bad} bad lines inserted at random places to {@code file}; each
   * bad line is made from the clean line it precedes (or the last one), kinds taken in turn.
   */
  public Injected writeDirty(List<String> clean, int bad, Path file) throws IOException {
    if (clean.isEmpty() || bad < 0) {
      throw new IllegalArgumentException(
          "need clean lines and 0 or more bad ones, was " + clean.size() + " and " + bad);
    }
    SplittableRandom random = new SplittableRandom(seed);
    long total = (long) clean.size() + bad;
    BitSet badAt = new BitSet();
    for (int placed = 0; placed < bad; ) {
      int at = (int) random.nextLong(total); // 0-based line index
      if (!badAt.get(at)) {
        badAt.set(at);
        placed++;
      }
    }
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    SortedMap<Long, Expected> expected = new TreeMap<>();
    int nextClean = 0;
    int nextKind = random.nextInt(KINDS.size());
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (int i = 0; i < total; i++) {
        if (badAt.get(i)) {
          String template = clean.get(Math.min(nextClean, clean.size() - 1));
          Expected e = make(KINDS.get(nextKind), template, random);
          nextKind = (nextKind + 1) % KINDS.size();
          expected.put(i + 1L, e);
          out.write(e.bytes());
        } else {
          out.write(clean.get(nextClean++).getBytes(StandardCharsets.UTF_8));
        }
        out.write('\n');
      }
    }
    return new Injected(total, Collections.unmodifiableSortedMap(expected));
  }

  private Expected make(String kind, String template, SplittableRandom random) {
    String ts = '"' + timeField + '"';
    String text = '"' + textField + '"';
    String time = "\"2026-01-01T00:00:00Z\"";
    switch (kind) {
      case "not-json":
        switch (random.nextInt(3)) {
          case 0:
            return utf8(kind, template.substring(0, 1 + random.nextInt(template.length() - 1)));
          case 1:
            return utf8(kind, "{" + ts + ":" + time + " " + text + ":\"no comma\"}");
          default:
            return utf8(kind, "[" + template);
        }
      case "wrong-type":
        String[] wrong = {"42", "true", "[\"a\",\"b\"]", "{\"w\":1}", "-0.5"};
        return utf8(kind, "{" + ts + ":" + time + "," + text + ":" + pick(wrong, random) + "}");
      case "missing-field":
        switch (random.nextInt(3)) {
          case 0:
            return utf8(kind, "{" + text + ":\"no time here\"}");
          case 1:
            return utf8(kind, "{" + ts + ":" + time + "}");
          default:
            return utf8(kind, "{" + ts + ":null," + text + ":\"null time\"}");
        }
      case "bad-timestamp":
        String[] times = {
          "\"yesterday\"",
          "\"2026-13-45T00:00:00Z\"",
          "\"+999999999-01-01T00:00:00Z\"",
          "9300000000000000",
          "true",
          "\"2026-01-01T00:00:00\""
        };
        return utf8(kind, "{" + ts + ":" + pick(times, random) + "," + text + ":\"bad time\"}");
      case "oversize":
        int size = maxRecordBytes + maxRecordBytes / 2 + random.nextInt(maxRecordBytes * 3 / 2);
        StringBuilder words = new StringBuilder("{" + ts + ":" + time + "," + text + ":\"");
        while (words.length() < size - 2) {
          words.append("sluice ");
        }
        return utf8(kind, words.append("\"}").toString());
      case "not-utf8":
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] head =
            ("{" + ts + ":" + time + "," + text + ":\"caf").getBytes(StandardCharsets.UTF_8);
        line.writeBytes(head);
        line.writeBytes(NOT_UTF8[random.nextInt(NOT_UTF8.length)]);
        line.writeBytes(" au lait\"}".getBytes(StandardCharsets.UTF_8));
        return new Expected(kind, head.length, line.toByteArray());
      default:
        throw new IllegalArgumentException(
            "unknown bad-record kind " + kind + ", allowed " + KINDS);
    }
  }

  private static Expected utf8(String kind, String line) {
    return new Expected(kind, -1, line.getBytes(StandardCharsets.UTF_8));
  }

  private static String pick(String[] options, SplittableRandom random) {
    return options[random.nextInt(options.length)];
  }
}
