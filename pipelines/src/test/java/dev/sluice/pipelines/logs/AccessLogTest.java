package dev.sluice.pipelines.logs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.pipelines.logs.AccessLog.Format;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.time.Instant;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessLogTest {
  /** 10/Oct/2026:13:55:36 -0700 is 20:55:36 UTC. */
  private static final long T = Instant.parse("2026-10-10T20:55:36Z").toEpochMilli();

  private static final String CLF =
      "127.0.0.1 - frank [10/Oct/2026:13:55:36 -0700] \"GET /api/orders/7 HTTP/1.1\" 200 2326";

  @Test
  void readsTheCommonLogFormat() throws Exception {
    assertThat(
        AccessLog.parse(CLF),
        equalTo(
            new AccessLog(
                T, Format.COMMON, "api", "127.0.0.1", "GET", "/api/orders/7", 200, 2326, -1)));
  }

  @Test
  void aTrailingFieldIsTheLatencyInMicroseconds() throws Exception {
    AccessLog log = AccessLog.parse(CLF + " 12500");
    assertThat(log.format(), is(Format.COMMON));
    assertThat(log.latencyMicros(), is(12_500L));
    assertThat(log.latencyMillis(), is(13)); // 12.5 ms, rounded half up
    assertThat(AccessLog.parse(CLF + " 12499").latencyMillis(), is(12));
    assertThat(AccessLog.parse(CLF + " -").hasLatency(), is(false));
  }

  @Test
  void readsTheCombinedLogFormatWithEscapedQuotesAndAnOptionalLatency() throws Exception {
    String combined =
        "2001:db8::1 - - [10/Oct/2026:13:55:36 -0700] \"POST /shop/cart HTTP/2.0\" 503 -"
            + " \"https://shop.example/?a=\\\"b\\\"\" \"Mozilla/5.0 (X11; \\\"x\\\")\"";
    AccessLog log = AccessLog.parse(combined);
    assertThat(
        log,
        equalTo(
            new AccessLog(
                T, Format.COMBINED, "shop", "2001:db8::1", "POST", "/shop/cart", 503, 0, -1)));
    assertThat(log.statusClass(), equalTo("5xx"));
    assertThat(log.isServerError(), is(true));
    assertThat(AccessLog.parse(combined + " 999").latencyMillis(), is(1));
    assertThat(AccessLog.parse(combined + " 999").format(), is(Format.COMBINED));
  }

  @ParameterizedTest
  @CsvSource({
    "/api/orders/7, api",
    "/api, api",
    "/api?x=/y, api",
    "/api#top, api",
    "/, /",
    "/?q=1, /",
    "//double, /",
  })
  void theServiceIsTheFirstPathSegment(String path, String service) {
    assertThat(AccessLog.serviceOfPath(path), equalTo(service));
  }

  @Test
  void aRequestLineWithoutProtocolIsAccepted() throws Exception {
    assertThat(
        AccessLog.parse("10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET /img\" 304 0").service(),
        equalTo("img"));
  }

  @Test
  void readsJsonLinesWithIsoOrEpochTimes() throws Exception {
    assertThat(
        AccessLog.parse(
            "{\"ts\":\"2026-10-10T22:55:36+02:00\",\"service\":\"api\",\"client\":\"10.0.0.1\","
                + "\"method\":\"GET\",\"path\":\"/api/x\",\"status\":503,\"bytes\":10,"
                + "\"latency_ms\":12.5,\"extra\":true}"),
        equalTo(
            new AccessLog(T, Format.JSON, "api", "10.0.0.1", "GET", "/api/x", 503, 10, 12_500)));
    assertThat(
        AccessLog.parse("{\"ts\":" + T + ",\"service\":\"s\",\"client\":\"c\",\"status\":101}"),
        equalTo(new AccessLog(T, Format.JSON, "s", "c", "", "", 101, -1, -1)));
    assertThat(
        AccessLog.parse(
                "{\"ts\":1,\"service\":\"s\",\"client\":\"c\",\"status\":200,\"latency_ms\":7}")
            .latencyMillis(),
        is(7));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        // not-a-log-line: neither JSON nor the layout; the message says where it broke
        "~   ~| not-a-log-line| empty line",
        "hello world| not-a-log-line| the line ends after the identity",
        "10.0.0.1 - - 10/Oct/2026:13:55:36 -0700 \"GET / HTTP/1.1\" 200 1| not-a-log-line"
            + "| expected '[' and the time at column 14",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700 \"GET / HTTP/1.1\" 200 1| not-a-log-line"
            + "| has no closing ']'",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1| not-a-log-line"
            + "| has no closing '\"'",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] GET / HTTP/1.1 200 1| not-a-log-line"
            + "| expected the request line in quotes at column 43",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 200| not-a-log-line"
            + "| the line ends after the status",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1 \"ref\"| not-a-log-line"
            + "| the line ends after the referer",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1 5 6| not-a-log-line"
            + "| unexpected text at column 67 after the last field: ' 6'",
        "[1, 2]| not-a-log-line| the line ends after the identity",
        // JSON
        "{\"ts\":1,| not-json| starts with '{' but is not JSON",
        "{\"ts\":1} {}| not-json| starts with '{' but is not JSON",
        "{\"service\":\"s\",\"client\":\"c\",\"status\":200}| missing-field| missing field 'ts'",
        "{\"ts\":1,\"client\":\"c\",\"status\":200}| missing-field| missing field 'service'",
        "{\"ts\":1,\"service\":\"s\",\"status\":200}| missing-field| missing field 'client'",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"c\"}| missing-field| missing field 'status'",
        "{\"ts\":1,\"service\":7,\"client\":\"c\",\"status\":200}| wrong-type"
            + "| field 'service' must be a string, was 7",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"c\",\"status\":\"OK\"}| wrong-type"
            + "| field 'status' must be a whole number, was \"OK\"",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"c\",\"status\":200.5}| wrong-type"
            + "| field 'status' must be a whole number, was 200.5",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"c\",\"status\":200,\"latency_ms\":\"fast\"}"
            + "| wrong-type| field 'latency_ms' must be a number, was \"fast\"",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"c\",\"status\":200,\"bytes\":1.5}| wrong-type"
            + "| field 'bytes' must be a whole number, was 1.5",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"c\",\"status\":200,\"path\":[]}| wrong-type"
            + "| field 'path' must be a string, was []",
        "{\"ts\":1,\"service\":\" \",\"client\":\"c\",\"status\":200}| empty-field"
            + "| field 'service' is blank",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"\",\"status\":200}| empty-field"
            + "| field 'client' is blank",
        "{\"ts\":\"yesterday\",\"service\":\"s\",\"client\":\"c\",\"status\":200}| bad-timestamp"
            + "| field 'ts' is not an ISO-8601 date-time with an offset (or Z): \"yesterday\"",
        "{\"ts\":\"2026-01-01T00:00:00\",\"service\":\"s\",\"client\":\"c\",\"status\":200}"
            + "| bad-timestamp| field 'ts' is not an ISO-8601 date-time with an offset (or Z)",
        "{\"ts\":true,\"service\":\"s\",\"client\":\"c\",\"status\":200}| bad-timestamp"
            + "| field 'ts' must be an ISO-8601 date-time string or whole epoch milliseconds, was a"
            + " boolean",
        "{\"ts\":99999999999999999,\"service\":\"s\",\"client\":\"c\",\"status\":200}"
            + "| bad-timestamp| field 'ts' is out of range (years 1 to 9999): 99999999999999999",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"c\",\"status\":42}| out-of-range"
            + "| status 42 is not an HTTP status (100 to 599)",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"c\",\"status\":200,\"bytes\":-3}| out-of-range"
            + "| field 'bytes' must be 0 or more, was -3",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"c\",\"status\":200,\"latency_ms\":-0.5}"
            + "| out-of-range| field 'latency_ms' must be from 0 to 3600000 (1 hour), was -0.5",
        "{\"ts\":1,\"service\":\"s\",\"client\":\"c\",\"status\":200,\"latency_ms\":3600001}"
            + "| out-of-range| field 'latency_ms' must be from 0 to 3600000 (1 hour)",
        // Common / Combined values
        "10.0.0.1 - - [32/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1| bad-timestamp"
            + "| the time is not dd/MMM/yyyy:HH:mm:ss +hhmm (e.g. 10/Oct/2026:13:55:36 -0700):"
            + " \"32/Oct/2026:13:55:36 -0700\"",
        "10.0.0.1 - - [10/Foo/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1| bad-timestamp"
            + "| the time is not dd/MMM/yyyy:HH:mm:ss +hhmm (e.g. 10/Oct/2026:13:55:36 -0700):"
            + " \"10/Foo/2026:13:55:36 -0700\"",
        "10.0.0.1 - - [10/Oct/2026:13:55:36] \"GET / HTTP/1.1\" 200 1| bad-timestamp"
            + "| the time is not dd/MMM/yyyy:HH:mm:ss +hhmm (e.g. 10/Oct/2026:13:55:36 -0700):"
            + " \"10/Oct/2026:13:55:36\"",
        "10.0.0.1 - - [10/Oct/0000:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1| bad-timestamp"
            + "| the time is out of range (years 1 to 9999): \"10/Oct/0000:13:55:36 +0000\"",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GARBAGE\" 400 1| bad-request"
            + "| request line 'GARBAGE' is not METHOD /path [PROTOCOL]",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"-\" 408 -| bad-request"
            + "| request line '-' is not METHOD /path [PROTOCOL]",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"get / HTTP/1.1\" 200 1| bad-request"
            + "| request method 'get' is not an upper-case word",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET http://x/ HTTP/1.1\" 200 1| bad-request"
            + "| request target 'http://x/' is not a path starting with '/'",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 20x 1| wrong-type"
            + "| status '20x' is not a whole number",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 200 many| wrong-type"
            + "| bytes 'many' is not a whole number",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1 1.5| wrong-type"
            + "| latency '1.5' is not a whole number",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 999 1| out-of-range"
            + "| status 999 is not an HTTP status (100 to 599)",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 200 -1| out-of-range"
            + "| bytes sent must be 0 or more, was -1",
        "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1 -5| out-of-range"
            + "| latency must be from 0 to 3600000000 microseconds (1 hour), was -5",
      })
  void saysExactlyWhatIsWrongWithABadLine(String line, String kind, String reason) {
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> AccessLog.parse(line));
    assertThat(e.kind(), equalTo(kind.trim()));
    assertThat(e.getMessage(), containsString(reason.trim()));
  }

  @Test
  void aRefusalAfterTheTimeWasReadCarriesIt() {
    String truncated = "10.0.0.1 - - [10/Oct/2026:13:55:36 -0700] \"GET /api HTT";
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> AccessLog.parse(truncated));
    assertThat(e.eventTimeMillis(), equalTo(T));
    assertThat(AccessLog.timestampOrNull(truncated).getMillis(), equalTo(T));

    e =
        assertThrows(
            InvalidRecordException.class,
            () -> AccessLog.parse("{\"ts\":5,\"service\":\"s\",\"client\":\"c\",\"status\":0}"));
    assertThat(e.eventTimeMillis(), equalTo(5L));
  }

  @Test
  void aRefusalBeforeTheTimeWasReadHasNone() {
    assertThat(AccessLog.timestampOrNull("10.0.0.1 - -"), is(nullValue()));
    assertThat(AccessLog.timestampOrNull("{\"ts\":"), is(nullValue()));
  }

  @Test
  void statusClassesAreTheFirstDigit() {
    assertThat(AccessLog.statusClassOf(100), equalTo("1xx"));
    assertThat(AccessLog.statusClassOf(204), equalTo("2xx"));
    assertThat(AccessLog.statusClassOf(308), equalTo("3xx"));
    assertThat(AccessLog.statusClassOf(429), equalTo("4xx"));
    assertThat(AccessLog.statusClassOf(599), equalTo("5xx"));
  }

  @Test
  void coderRoundTripsAndIsDeterministic() throws Exception {
    AccessLog log = new AccessLog(-5, Format.COMBINED, "ü", "::1", "GET", "/ü?x", 404, -1, 0);
    CoderProperties.coderDecodeEncodeEqual(AccessLog.Coder.of(), log);
    CoderProperties.coderDecodeEncodeEqual(AccessLog.Coder.of(), AccessLog.parse(CLF + " 7"));
    CoderProperties.coderDeterministic(
        AccessLog.Coder.of(),
        log,
        new AccessLog(-5, Format.COMBINED, "ü", "::1", "GET", "/ü?x", 404, -1, 0));
  }

  // Found by ParserFuzzTest: an unpaired surrogate (half of a character) in a kept field parsed,
  // and the coder (UTF-8) turned it into '?'.
  @Test
  void refusesAJsonFieldWithHalfACharacter() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                AccessLog.parse(
                    "{\"ts\":1791665736000,\"service\":\"web\",\"client\":\"10.0.0.9\","
                        + "\"path\":\"/a\\udc00\",\"status\":404}"));
    assertThat(e.kind(), equalTo("bad-unicode"));
    assertThat(e.getMessage(), containsString("field 'path' has an unpaired surrogate \\udc00"));
    assertThat(e.eventTimeMillis(), equalTo(1791665736000L));
  }

  @Test
  void refusesACommonLogLineWithHalfACharacter() {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class,
            () ->
                AccessLog.parse(
                    "10.0.0.3 - - [10/Oct/2026:13:55:38 +0000] \"GET /\uD800 HTTP/1.1\" 304 0"));
    assertThat(e.kind(), equalTo("bad-unicode"));
    assertThat(e.getMessage(), containsString("field 'request line' has an unpaired surrogate"));
  }
}
