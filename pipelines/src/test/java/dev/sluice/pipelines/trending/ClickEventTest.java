package dev.sluice.pipelines.trending;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClickEventTest {
  @Test
  void readsIsoTimestampsWithAnyOffsetAndEpochMillisAndIgnoresOtherFields() throws Exception {
    assertThat(
        ClickEvent.parse(
            "{\"ts\":\"1970-01-01T00:00:01Z\",\"user\":\"u1\",\"item\":\"i1\",\"category\":\"c\"}"),
        equalTo(new ClickEvent(1_000, "u1", "i1", "c")));
    assertThat(
        ClickEvent.parse(
            "{\"ts\":\"1970-01-01T01:00:02+01:00\",\"user\":\"u 2\",\"item\":\"I2\","
                + "\"category\":\"c\",\"price\":3.5}"),
        equalTo(new ClickEvent(2_000, "u 2", "I2", "c")));
    assertThat(
        ClickEvent.parse("{\"ts\":3000,\"user\":\"ü\",\"item\":\"i\",\"category\":\"c\"}"),
        equalTo(new ClickEvent(3_000, "ü", "i", "c")));
  }

  /** A click object with each field's JSON as given; a null field is left out. */
  private static String click(String ts, String user, String item, String category) {
    StringBuilder json = new StringBuilder("{");
    String[] names = {"ts", "user", "item", "category"};
    String[] values = {ts, user, item, category};
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null) {
        json.append(json.length() > 1 ? "," : "").append('"').append(names[i]).append("\":");
        json.append(values[i]);
      }
    }
    return json.append('}').toString();
  }

  static Stream<Arguments> badLines() {
    String u = "\"u\"";
    String i = "\"i\"";
    String c = "\"c\"";
    return Stream.of(
        bad("{\"ts\":1,\"user\":\"u\"", "not-json", "not JSON: Unexpected end-of-input"),
        bad("", "not-object", "not a JSON object"),
        bad("[1, \"u\", \"i\", \"c\"]", "not-object", "not a JSON object: ARRAY"),
        bad("\"click\"", "not-object", "not a JSON object: STRING"),
        bad(click(null, u, i, c), "missing-field", "missing field 'ts'"),
        bad(click("null", u, i, c), "missing-field", "missing field 'ts'"),
        bad(click("1", null, i, c), "missing-field", "missing field 'user'"),
        bad(click("1", u, null, c), "missing-field", "missing field 'item'"),
        bad(click("1", u, i, null), "missing-field", "missing field 'category'"),
        bad(click("1", u, i, "null"), "missing-field", "missing field 'category'"),
        bad(click("1", "7", i, c), "wrong-type", "field 'user' must be a string, was NUMBER 7"),
        bad(click("1", u, "[1]", c), "wrong-type", "field 'item' must be a string, was ARRAY [1]"),
        bad(click("1", u, i, "true"), "wrong-type", "field 'category' must be a string, was BOOL"),
        bad(
            click("\"yesterday\"", u, i, c),
            "bad-timestamp",
            "field 'ts' is not an ISO-8601 date-time with an offset (or Z): \"yesterday\""),
        bad(
            click("\"2026-01-01T00:00:00\"", u, i, c),
            "bad-timestamp",
            "field 'ts' is not an ISO-8601 date-time with an offset (or Z)"),
        bad(
            click("1.5", u, i, c),
            "bad-timestamp",
            "field 'ts' must be an ISO-8601 date-time string or whole epoch milliseconds, was a"
                + " number with a fraction or an exponent"),
        bad(
            click("{}", u, i, c),
            "bad-timestamp",
            "field 'ts' must be an ISO-8601 date-time string or whole epoch milliseconds, was an"
                + " object"),
        bad(
            click("99999999999999999", u, i, c),
            "bad-timestamp",
            "field 'ts' is out of range (years 1 to 9999): 99999999999999999"),
        bad(click("1" + "0".repeat(22), u, i, c), "bad-timestamp", "field 'ts' is out of range"),
        bad(
            click("\"+10000-01-01T00:00:00Z\"", u, i, c),
            "bad-timestamp",
            "field 'ts' is out of range"),
        bad(click("1", "\"\"", i, c), "empty-value", "field 'user' is blank: \"\""),
        bad(click("1", u, i, "\" \""), "empty-value", "field 'category' is blank: \" \""));
  }

  private static Arguments bad(String line, String kind, String reason) {
    return Arguments.of(line, kind, reason);
  }

  @ParameterizedTest
  @MethodSource("badLines")
  void saysWhatIsWrongWithABadLine(String line, String kind, String reason) {
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> ClickEvent.parse(line));
    assertThat(e.getMessage(), startsWith(reason));
    assertThat(e.kind(), equalTo(kind));
  }

  @Test
  void refusesAnIdLongerThanTheLimitAndSaysHowLong() {
    String longItem = "i".repeat(ClickEvent.MAX_ID_LENGTH + 1);
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                ClickEvent.parse(
                    "{\"ts\":1,\"user\":\"u\",\"item\":\"" + longItem + "\",\"category\":\"c\"}"));
    assertThat(e.kind(), equalTo("too-long"));
    assertThat(e.getMessage(), equalTo("field 'item' has 129 characters, at most 128 allowed"));
  }

  @Test
  void aRefusalAfterTheTimestampWasReadCarriesItAndOneBeforeDoesNot() {
    InvalidRecordException after =
        assertThrows(
            InvalidRecordException.class,
            () -> ClickEvent.parse("{\"ts\":1500,\"user\":\"u\",\"item\":2,\"category\":\"c\"}"));
    assertThat(after.eventTimeMillis(), equalTo(1500L));
    assertThat(
        ClickEvent.timestampOrNull("{\"ts\":1500,\"user\":\"u\",\"item\":2,\"category\":\"c\"}"),
        equalTo(1500L));
    assertThat(ClickEvent.timestampOrNull("{\"ts\":\"soon\",\"user\":\"u\"}"), nullValue());
    assertThat(ClickEvent.timestampOrNull("{\"ts\""), nullValue());
  }

  @Test
  void coderRoundTripsAndIsDeterministic() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(
        ClickEvent.Coder.of(), new ClickEvent(-5, "ü x", "item-1", "books"));
    CoderProperties.coderDeterministic(
        ClickEvent.Coder.of(), new ClickEvent(7, "u", "i", "c"), new ClickEvent(7, "u", "i", "c"));
  }

  // Found by ParserFuzzTest: an id with half of a character parsed, and the coder (UTF-8) turned
  // it into '?': another item after a shuffle.
  @Test
  void refusesAnIdWithHalfACharacter() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                ClickEvent.parse(
                    "{\"ts\":1767262530000,\"user\":\"u-18\",\"item\":\"\\ude00\","
                        + "\"category\":\"games\"}"));
    assertThat(e.kind(), equalTo("bad-unicode"));
    assertThat(e.getMessage(), startsWith("field 'item' has an unpaired surrogate \\ude00"));
    assertThat(e.eventTimeMillis(), equalTo(1767262530000L));
  }
}
