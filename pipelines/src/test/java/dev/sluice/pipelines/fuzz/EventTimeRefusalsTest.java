package dev.sluice.pipelines.fuzz;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipelines.io.EventTimes;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same mistake in a record's time field gets the same dead letter in every job: each job's
 * parser ({@link JobParsers#ALL}) reads a valid line of its own with only {@code ts} changed, and
 * must refuse it with the kind and reason written here, word for word, and without an event time
 * (the time is what is wrong); the times at the edges of the range must parse to the exact
 * milliseconds in every job.
 */
class EventTimeRefusalsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String WRONG_TYPE =
      "field 'ts' must be an ISO-8601 date-time string or whole epoch milliseconds, was ";
  private static final String NOT_ISO =
      "field 'ts' is not an ISO-8601 date-time with an offset (or Z): ";
  private static final String OUT_OF_RANGE = "field 'ts' is out of range (years 1 to 9999): ";

  /** The JSON text of {@code ts} (null: no field), the kind and the reason every job must give. */
  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(null, "missing-field", "missing field 'ts'"),
        Arguments.of("null", "missing-field", "missing field 'ts'"),
        Arguments.of("true", "bad-timestamp", WRONG_TYPE + "a boolean"),
        Arguments.of("{\"at\":1767225600000}", "bad-timestamp", WRONG_TYPE + "an object"),
        Arguments.of("[1767225600000]", "bad-timestamp", WRONG_TYPE + "an array"),
        Arguments.of(
            "1.5", "bad-timestamp", WRONG_TYPE + "a number with a fraction or an exponent"),
        Arguments.of(
            "1.7672256e12",
            "bad-timestamp",
            WRONG_TYPE + "a number with a fraction or an exponent"),
        Arguments.of("\"yesterday\"", "bad-timestamp", NOT_ISO + "\"yesterday\""),
        Arguments.of("\"\"", "bad-timestamp", NOT_ISO + "\"\""),
        Arguments.of(
            "\"2026-01-01T00:00:00\"", "bad-timestamp", NOT_ISO + "\"2026-01-01T00:00:00\""),
        Arguments.of("\"2026-01-01\"", "bad-timestamp", NOT_ISO + "\"2026-01-01\""),
        Arguments.of(
            "\"2026-13-45T00:00:00Z\"", "bad-timestamp", NOT_ISO + "\"2026-13-45T00:00:00Z\""),
        // Epoch milliseconds are a JSON number, not a string of digits.
        Arguments.of("\"1767225600000\"", "bad-timestamp", NOT_ISO + "\"1767225600000\""),
        Arguments.of(
            "\"" + "9".repeat(80) + "\"", "bad-timestamp", NOT_ISO + "\"" + "9".repeat(56) + "..."),
        Arguments.of("99999999999999999", "bad-timestamp", OUT_OF_RANGE + "99999999999999999"),
        Arguments.of("-62135596800001", "bad-timestamp", OUT_OF_RANGE + "-62135596800001"),
        Arguments.of(
            "10000000000000000000000", "bad-timestamp", OUT_OF_RANGE + "10000000000000000000000"),
        Arguments.of(
            "\"+10000-01-01T00:00:00Z\"",
            "bad-timestamp",
            OUT_OF_RANGE + "\"+10000-01-01T00:00:00Z\""),
        Arguments.of(
            "\"0000-12-31T23:59:59.999Z\"",
            "bad-timestamp",
            OUT_OF_RANGE + "\"0000-12-31T23:59:59.999Z\""),
        // Parses, but has no epoch milliseconds in a long.
        Arguments.of(
            "\"+999999999-01-01T00:00:00Z\"",
            "bad-timestamp",
            OUT_OF_RANGE + "\"+999999999-01-01T00:00:00Z\""));
  }

  @ParameterizedTest(name = "ts {0}")
  @MethodSource("mistakes")
  void everyJobRefusesTheSameMistakeInTheSameWords(String ts, String kind, String reason)
      throws Exception {
    Map<String, String> expected = new TreeMap<>();
    Map<String, String> refusals = new TreeMap<>();
    for (FuzzedParser<?> fuzzed : JobParsers.ALL) {
      expected.put(fuzzed.name(), kind + " | " + reason + " | event time null");
      String line = withTs(jsonLine(fuzzed), ts);
      try {
        Object parsed = fuzzed.parser().parse(line);
        refusals.put(fuzzed.name(), "parsed " + parsed + " from " + line);
      } catch (InvalidRecordException e) {
        refusals.put(
            fuzzed.name(),
            e.kind() + " | " + e.getMessage() + " | event time " + e.eventTimeMillis());
      }
    }
    assertThat(refusals, equalTo(expected));
  }

  /** The JSON text of {@code ts} and the event time every job must read from it. */
  static Stream<Arguments> edges() {
    return Stream.of(
        Arguments.of("\"0001-01-01T00:00:00Z\"", EventTimes.MIN_MILLIS),
        Arguments.of("-62135596800000", EventTimes.MIN_MILLIS),
        Arguments.of("\"9999-12-31T23:59:59.999Z\"", EventTimes.MAX_MILLIS),
        Arguments.of("\"+10000-01-01T00:59:59.999+01:00\"", EventTimes.MAX_MILLIS),
        Arguments.of("253402300799999", EventTimes.MAX_MILLIS),
        Arguments.of("0", 0L),
        Arguments.of("-1", -1L),
        Arguments.of("\"1970-01-01T01:00:00.001+01:00\"", 1L));
  }

  @ParameterizedTest(name = "ts {0}")
  @MethodSource("edges")
  void everyJobReadsTheSameTimes(String ts, long millis) throws Exception {
    Map<String, Long> expected = new TreeMap<>();
    Map<String, Long> read = new TreeMap<>();
    for (FuzzedParser<?> fuzzed : JobParsers.ALL) {
      expected.put(fuzzed.name(), millis);
      read.put(fuzzed.name(), eventTimeOf(fuzzed, withTs(jsonLine(fuzzed), ts)));
    }
    assertThat(read, equalTo(expected));
  }

  /** Every accepted time, and every window a job puts it in, is one Beam can hold. */
  @Test
  void theRangeLiesWellInsideBeamsTimestamps() {
    Duration year = Duration.standardDays(366);
    assertThat(
        EventTimes.MIN_MILLIS - year.getMillis(),
        greaterThan(BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()));
    assertThat(
        EventTimes.MAX_MILLIS + year.getMillis(),
        lessThan(GlobalWindow.INSTANCE.maxTimestamp().getMillis()));
  }

  private static <T> long eventTimeOf(FuzzedParser<T> fuzzed, String line) throws Exception {
    return fuzzed.eventTime().apply(fuzzed.parser().parse(line)).getMillis();
  }

  /** The parser's first valid line that is JSON (the access log's first ones are not). */
  private static String jsonLine(FuzzedParser<?> fuzzed) {
    return fuzzed.validLines().stream()
        .filter(line -> line.startsWith("{"))
        .findFirst()
        .orElseThrow(() -> new AssertionError(fuzzed + " has no valid JSON line"));
  }

  /** {@code line} with field {@code ts} set to the JSON text {@code ts}, or removed if null. */
  private static String withTs(String line, String ts) throws Exception {
    ObjectNode node = (ObjectNode) JSON.readTree(line);
    if (ts == null) {
      node.remove("ts");
    } else {
      node.set("ts", JSON.readTree(ts));
    }
    return JSON.writeValueAsString(node);
  }
}
