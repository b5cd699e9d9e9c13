package dev.sluice.testing.conformance;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.OutputFiles;
import dev.sluice.testing.generate.BadRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a run over a file made dirty by {@link BadRecords}: its dead letters are exactly the
 * injected bad lines (same positions, the expected kind each, a reason, the line itself, or for
 * {@code not-utf8} the offset of the first bad byte and the original bytes, for {@code oversize}
 * the size), and its end-of-run counts add up (read = parsed + dead letters, dead letters per kind
 * as injected).
 */
public final class BadInputCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COUNTS =
      Pattern.compile(
          "([0-9,]+) records read, ([0-9,]+) parsed, ([0-9,]+) dead letters(?: \\(([^)]*)\\))?");

  private BadInputCheck() {}

  /** The counts of an end-of-run summary. */
  public record Counts(long read, long parsed, long deadLetters, Map<String, Long> byKind) {}

  /** A dead letter as the input made it: its position in the source and the record it holds. */
  public record Letter(String position, String raw) {
    @Override
    public String toString() {
      return position + " " + raw;
    }
  }

  /**
   * Asserts the dead letters under {@code prefix} are exactly {@code expected}, compared as a
   * multiset of position and raw record (a letter written twice, at the wrong place or with other
   * content fails), and that each names a kind and gives a reason. {@code expected} comes from what
   * the test put in the input, never from the job's output.
   */
  public static void deadLettersAre(String what, Path prefix, List<Letter> expected) {
    deadLettersAre(what, OutputFiles.sortedLines(prefix), expected);
  }

  /** The same, for dead letters read from elsewhere (e.g. a Kafka topic), one JSON line each. */
  public static void deadLettersAre(String what, List<String> letters, List<Letter> expected) {
    List<String> got = new ArrayList<>();
    for (String line : letters) {
      JsonNode letter = readLetter(line);
      got.add(new Letter(letter.path("position").asText(), letter.path("raw").asText()).toString());
      assertThat(what + ", a kind: " + line, letter.path("kind").asText().isBlank(), is(false));
      assertThat(what + ", a reason: " + line, letter.path("reason").asText().isBlank(), is(false));
    }
    Collections.sort(got);
    assertThat(what + ": dead letters (position and record)", got, equalTo(entries(expected)));
  }

  /**
   * The letters read (JSON lines) as sorted "position raw" entries, comparable to {@link #entries}.
   */
  public static List<String> entriesOf(List<String> letters) {
    List<String> got = new ArrayList<>();
    for (String line : letters) {
      JsonNode letter = readLetter(line);
      got.add(new Letter(letter.path("position").asText(), letter.path("raw").asText()).toString());
    }
    Collections.sort(got);
    return got;
  }

  /** The expected letters as sorted "position raw" entries. */
  public static List<String> entries(List<Letter> expected) {
    List<String> want = new ArrayList<>(expected.stream().map(Letter::toString).toList());
    Collections.sort(want);
    return want;
  }

  /** Asserts the dead letters under {@code prefix} are exactly {@code injected}'s bad lines. */
  public static void deadLettersAreTheInjectedRecords(
      Path prefix, BadRecords.Injected injected, int maxRecordBytes) {
    deadLettersAreTheInjectedRecords(prefix, injected, maxRecordBytes, Long::parseLong);
  }

  /**
   * The same, for a source whose positions are not line numbers: {@code lineOf} turns a dead
   * letter's position into the 1-based line of the dirty file (e.g. Kafka's {@code 0@41} to 42).
   */
  public static void deadLettersAreTheInjectedRecords(
      Path prefix,
      BadRecords.Injected injected,
      int maxRecordBytes,
      ToLongFunction<String> lineOf) {
    Map<Long, JsonNode> byLine = new TreeMap<>();
    for (String line : OutputFiles.sortedLines(prefix)) {
      JsonNode letter = readLetter(line);
      JsonNode previous = byLine.put(lineOf.applyAsLong(letter.get("position").asText()), letter);
      assertThat("one dead letter per line: " + line, previous == null, is(true));
    }
    assertThat("dead-letter positions", byLine.keySet(), equalTo(injected.expected().keySet()));
    injected
        .expected()
        .forEach(
            (number, want) -> {
              JsonNode letter = byLine.get(number);
              String where = "line " + number + ": " + letter;
              assertThat(where, letter.get("kind").asText(), equalTo(want.kind()));
              assertThat(where, letter.get("reason").asText().isBlank(), is(false));
              if (want.kind().equals("not-utf8")) {
                assertThat(
                    where,
                    letter.get("reason").asText(),
                    containsString("byte offset " + want.badByteOffset() + " of "));
                assertThat(
                    where,
                    Base64.getDecoder().decode(letter.get("raw_base64").asText()),
                    equalTo(want.bytes()));
              } else if (!want.kind().equals("oversize")) {
                assertThat(
                    where,
                    letter.get("raw").asText(),
                    equalTo(new String(want.bytes(), StandardCharsets.UTF_8)));
              }
              if (want.kind().equals("oversize")) {
                assertThat(
                    where,
                    letter.get("reason").asText(),
                    containsString(
                        "record is "
                            + want.bytes().length
                            + " bytes, over the limit of "
                            + maxRecordBytes));
                assertThat(where, letter.get("raw").asText().length() <= 4_096, is(true));
              }
            });
  }

  /** The counts of the {@code sluice: <job> finished on ...} line in {@code stderr}. */
  public static Counts summaryCounts(String stderr, String job) {
    String summary =
        stderr
            .lines()
            .filter(l -> l.startsWith("sluice: " + job + " finished on"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no end-of-run summary in: " + stderr));
    Matcher m = COUNTS.matcher(summary);
    assertThat(summary, m.find(), is(true));
    Map<String, Long> byKind = new TreeMap<>();
    if (m.group(4) != null) {
      for (String part : m.group(4).split(", ")) {
        int space = part.lastIndexOf(' ');
        byKind.put(part.substring(0, space), number(part.substring(space + 1)));
      }
    }
    return new Counts(number(m.group(1)), number(m.group(2)), number(m.group(3)), byKind);
  }

  /** Asserts read = parsed + dead letters = the file's lines, and the per-kind counts injected. */
  public static void countsAddUp(Counts counts, BadRecords.Injected injected) {
    assertThat("records read", counts.read(), equalTo(injected.lines()));
    assertThat(
        "parsed + dead letters", counts.parsed() + counts.deadLetters(), equalTo(counts.read()));
    assertThat("dead letters", counts.deadLetters(), equalTo((long) injected.expected().size()));
    Map<String, Long> want = new TreeMap<>(injected.countsByKind());
    want.values().removeIf(n -> n == 0);
    assertThat("dead letters by kind", counts.byKind(), equalTo(want));
  }

  private static JsonNode readLetter(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("a dead letter that is not JSON: " + line, e);
    }
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }

  /** {@code from} without one occurrence of each of {@code these} (a multiset difference). */
  public static List<String> minus(List<String> from, List<String> these) {
    Map<String, Integer> left = new HashMap<>();
    these.forEach(line -> left.merge(line, 1, Integer::sum));
    List<String> rest = new ArrayList<>();
    for (String line : from) {
      if (left.getOrDefault(line, 0) > 0) {
        left.merge(line, -1, Integer::sum);
      } else {
        rest.add(line);
      }
    }
    return rest;
  }
}
