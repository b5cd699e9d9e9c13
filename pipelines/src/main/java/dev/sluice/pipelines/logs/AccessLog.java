package dev.sluice.pipelines.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.pipelines.io.EventTimes;
import dev.sluice.pipelines.io.UnicodeText;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One request from a web access log. Three formats are read, detected line by line:
 *
 * <ul>
 *   <li><b>Common Log Format</b> (Apache {@code %h %l %u %t "%r" %>s %b}):<br>
 *       {@code 127.0.0.1 - frank [10/Oct/2026:13:55:36 -0700] "GET /api/orders/7 HTTP/1.1" 200
 *       2326}
 *   <li><b>Combined Log Format</b> (the same, then {@code "%{Referer}i" "%{User-agent}i"}):<br>
 *       {@code ... 200 2326 "https://shop.example/" "Mozilla/5.0"}
 *   <li><b>JSON</b>, a line starting with <code>{</code>: {@code {"ts": "2026-10-10T20:55:36Z",
 *       "service": "api", "client": "127.0.0.1", "method": "GET", "path": "/api/orders/7",
 *       "status": 200, "bytes": 2326, "latency_ms": 12.5}}. Required: {@code ts} (ISO-8601 with an
 *       offset, or whole epoch milliseconds), {@code service} and {@code client} (non-blank
 *       strings) and {@code status} (a whole number); optional: {@code method}, {@code path}
 *       (strings), {@code bytes} (a whole number, at least 0) and {@code latency_ms} (a number of
 *       milliseconds). Other fields are ignored.
 * </ul>
 *
 * <p><b>Latency.</b> A Common or Combined line may end with one more field, the time taken to serve
 * the request in <em>whole microseconds</em>, as Apache's {@code %D} writes it ({@code "%r" %>s %b
 * %D} or {@code ... "%{User-agent}i" %D}); {@code -} or no such field means no latency. A JSON line
 * carries it as {@code latency_ms} (fractions allowed, rounded to the microsecond). Latencies from
 * 0 to 1 hour are accepted. For percentiles a latency counts as whole milliseconds, rounded half up
 * ({@code 12.5 ms} is 13 ms); a request without a latency still counts as a request but is left out
 * of the percentiles.
 *
 * <p><b>Service.</b> A JSON line names its service. For Common and Combined lines the service is
 * the first segment of the request path, query and fragment removed: {@code /api/orders/7} is
 * service {@code api}; a path without a segment ({@code /}, {@code /?q=1}) is service {@value
 * #ROOT_SERVICE}.
 *
 * <p><b>Refusals.</b> {@link #parse} says exactly what is wrong, with one of these kinds: {@code
 * not-a-log-line} (neither JSON nor the Common/Combined layout; the message names the position),
 * {@code not-json} (starts with <code>{</code> but is not JSON), {@code missing-field}, {@code
 * wrong-type} (e.g. a status {@code "OK"}), {@code empty-field} (a blank service or client), {@code
 * bad-timestamp} (unreadable, or outside years 1 to 9999, in the words of {@link EventTimes} for
 * both layouts), {@code bad-request} (the request line is not {@code METHOD /path [PROTOCOL]}),
 * {@code out-of-range} (a status outside 100 to 599, negative bytes, a latency below 0 or above 1
 * hour) and {@code bad-unicode} (a kept text with an unpaired surrogate, such as JSON <code>
 * "&#92;ud800"</code>: half of a character).
 */
@DefaultCoder(AccessLog.Coder.class)
public final class AccessLog implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The service of a Common/Combined line whose path has no first segment. */
  public static final String ROOT_SERVICE = "/";

  /** The largest latency accepted: one hour. */
  public static final long MAX_LATENCY_MICROS = 3_600_000_000L;

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final DateTimeFormatter CLF_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/uuuu:HH:mm:ss Z", Locale.ENGLISH)
          .withResolverStyle(ResolverStyle.STRICT);

  /** Where a line came from; kept for people, not used by the statistics. */
  public enum Format {
    COMMON,
    COMBINED,
    JSON
  }

  private final long timestampMillis;
  private final Format format;
  private final String service;
  private final String client;
  private final String method;
  private final String path;
  private final int status;
  private final long bytes;
  private final long latencyMicros;

  /**
   * A request. {@code method} and {@code path} may be empty (unknown), {@code bytes} and {@code
   * latencyMicros} -1 (unknown).
   */
  public AccessLog(
      long timestampMillis,
      Format format,
      String service,
      String client,
      String method,
      String path,
      int status,
      long bytes,
      long latencyMicros) {
    this.timestampMillis = timestampMillis;
    this.format = Objects.requireNonNull(format, "format");
    this.service = Objects.requireNonNull(service, "service");
    this.client = Objects.requireNonNull(client, "client");
    this.method = Objects.requireNonNull(method, "method");
    this.path = Objects.requireNonNull(path, "path");
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be in 100 to 599, was " + status);
    }
    if (latencyMicros < -1 || latencyMicros > MAX_LATENCY_MICROS) {
      throw new IllegalArgumentException(
          "latency must be -1 (none) or 0 to 1 h, was " + latencyMicros);
    }
    this.status = status;
    this.bytes = bytes;
    this.latencyMicros = latencyMicros;
  }

  /** A JSON-format request with the fields the statistics use; latency in ms, or null. */
  public static AccessLog of(
      long timestampMillis,
      String service,
      String client,
      int status,
      @Nullable Integer latencyMs) {
    return new AccessLog(
        timestampMillis,
        Format.JSON,
        service,
        client,
        "GET",
        "/" + service,
        status,
        -1,
        latencyMs == null ? -1 : latencyMs * 1000L);
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  public Format format() {
    return format;
  }

  public String service() {
    return service;
  }

  /** The client address ({@code %h}, or JSON {@code client}). */
  public String client() {
    return client;
  }

  /** The request method, or empty if the line did not say. */
  public String method() {
    return method;
  }

  /** The request path as logged (query included), or empty if the line did not say. */
  public String path() {
    return path;
  }

  public int status() {
    return status;
  }

  /** {@code 1xx}, {@code 2xx}, {@code 3xx}, {@code 4xx} or {@code 5xx}. */
  public String statusClass() {
    return statusClassOf(status);
  }

  /** The class of a status in 100 to 599: its first digit and {@code xx}. */
  public static String statusClassOf(int status) {
    return (status / 100) + "xx";
  }

  /** Whether the server failed the request: status 500 to 599. */
  public boolean isServerError() {
    return status >= 500;
  }

  /** Bytes sent ({@code -} in a Common/Combined line is 0), or -1 if the line did not say. */
  public long bytes() {
    return bytes;
  }

  public boolean hasLatency() {
    return latencyMicros >= 0;
  }

  /** The latency in microseconds, or -1 if the line had none. */
  public long latencyMicros() {
    return latencyMicros;
  }

  /**
   * The latency in whole milliseconds, rounded half up, as percentiles count it.
   *
   * @throws IllegalStateException if the line had no latency
   */
  public int latencyMillis() {
    if (latencyMicros < 0) {
      throw new IllegalStateException("no latency: " + this);
    }
    return millisOf(latencyMicros);
  }

  /** Microseconds to whole milliseconds, rounded half up. */
  static int millisOf(long micros) {
    return (int) ((micros + 500) / 1000);
  }

  /**
   * The event time of an input line, or {@code null} if it has none that can be read: what a Kafka
   * source and the generators use before the line is parsed for real.
   */
  public static @Nullable Instant timestampOrNull(String line) {
    try {
      return parse(line).timestamp();
    } catch (InvalidRecordException e) {
      return e.eventTimeMillis() == null ? null : new Instant(e.eventTimeMillis().longValue());
    }
  }

  /**
   * Parses one line of any of the three formats, or says exactly what is wrong with it (see the
   * class comment for the kinds). Once the time has been read, a refusal carries it as the dead
   * letter's event time.
   */
  public static AccessLog parse(String line) throws InvalidRecordException {
    String text = line == null ? "" : line.strip();
    if (text.isEmpty()) {
      throw new InvalidRecordException("not-a-log-line", "empty line");
    }
    if (text.charAt(0) == '{') {
      return parseJson(text);
    }
    return new CommonLogParser(text).parse();
  }

  // ---- JSON lines

  private static AccessLog parseJson(String text) throws InvalidRecordException {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(
          "not-json", "starts with '{' but is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException("not-json", "starts with '{' but is not a JSON object");
    }
    long t = EventTimes.ofField(node, "ts");
    String service = requiredText(node, "service", t);
    String client = requiredText(node, "client", t);
    JsonNode statusNode = required(node, "status", t);
    if (!statusNode.isIntegralNumber() || !statusNode.canConvertToInt()) {
      throw new InvalidRecordException(
          "wrong-type", "field 'status' must be a whole number, was " + statusNode, t);
    }
    int status = checkStatus(statusNode.intValue(), t);
    String method = optionalText(node, "method", t);
    String path = optionalText(node, "path", t);
    long bytes = -1;
    JsonNode bytesNode = node.get("bytes");
    if (bytesNode != null && !bytesNode.isNull()) {
      if (!bytesNode.isIntegralNumber() || !bytesNode.canConvertToLong()) {
        throw new InvalidRecordException(
            "wrong-type", "field 'bytes' must be a whole number, was " + bytesNode, t);
      }
      bytes = bytesNode.longValue();
      if (bytes < 0) {
        throw new InvalidRecordException(
            "out-of-range", "field 'bytes' must be 0 or more, was " + bytes, t);
      }
    }
    long latencyMicros = -1;
    JsonNode latency = node.get("latency_ms");
    if (latency != null && !latency.isNull()) {
      if (!latency.isNumber()) {
        throw new InvalidRecordException(
            "wrong-type", "field 'latency_ms' must be a number, was " + latency, t);
      }
      double ms = latency.doubleValue();
      if (!(ms >= 0 && ms <= MAX_LATENCY_MICROS / 1000.0)) {
        throw new InvalidRecordException(
            "out-of-range",
            "field 'latency_ms' must be from 0 to 3600000 (1 hour), was " + latency,
            t);
      }
      latencyMicros = Math.round(ms * 1000);
    }
    return new AccessLog(
        t, Format.JSON, service, client, method, path, status, bytes, latencyMicros);
  }

  private static JsonNode required(JsonNode node, String field, long t)
      throws InvalidRecordException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidRecordException("missing-field", "missing field '" + field + "'", t);
    }
    return value;
  }

  private static String requiredText(JsonNode node, String field, long t)
      throws InvalidRecordException {
    JsonNode value = required(node, field, t);
    if (!value.isTextual()) {
      throw new InvalidRecordException(
          "wrong-type", "field '" + field + "' must be a string, was " + value, t);
    }
    if (value.textValue().isBlank()) {
      throw new InvalidRecordException("empty-field", "field '" + field + "' is blank", t);
    }
    return UnicodeText.check(field, value.textValue(), t);
  }

  private static String optionalText(JsonNode node, String field, long t)
      throws InvalidRecordException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw new InvalidRecordException(
          "wrong-type", "field '" + field + "' must be a string, was " + value, t);
    }
    return UnicodeText.check(field, value.textValue(), t);
  }

  // ---- what both layouts check

  private static int checkStatus(long status, long t) throws InvalidRecordException {
    if (status < 100 || status > 599) {
      throw new InvalidRecordException(
          "out-of-range", "status " + status + " is not an HTTP status (100 to 599)", t);
    }
    return (int) status;
  }

  /** The service a request path belongs to: its first segment, or {@value #ROOT_SERVICE}. */
  static String serviceOfPath(String path) {
    int end = path.length();
    for (int i = 1; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    return end <= 1 ? ROOT_SERVICE : path.substring(1, end);
  }

  /** Reads a Common or Combined Log Format line, field by field, naming what it expected. */
  private static final class CommonLogParser {
    private final String s;
    private int i;

    /** The event time, once read. */
    private @Nullable Long time;

    CommonLogParser(String s) {
      this.s = s;
    }

    AccessLog parse() throws InvalidRecordException {
      String client = token("the client address");
      space("the client address");
      token("the identity ('-' if none)");
      space("the identity");
      token("the user ('-' if none)");
      space("the user");
      if (i >= s.length() || s.charAt(i) != '[') {
        throw structure("expected '[' and the time at column " + column() + ", found " + found());
      }
      int close = s.indexOf(']', i);
      if (close < 0) {
        throw structure("the time that starts at column " + column() + " has no closing ']'");
      }
      long t = clfTime(s.substring(i + 1, close));
      time = t;
      i = close + 1;
      space("the time");
      String request = quoted("the request line in quotes");
      space("the request line");
      String statusText = token("the status");
      space("the status");
      String bytesText = token("the bytes sent");
      Format format = Format.COMMON;
      String latencyText = null;
      if (i < s.length()) {
        space("the bytes sent");
        if (i < s.length() && s.charAt(i) == '"') {
          quoted("the referer in quotes");
          space("the referer");
          quoted("the user agent in quotes");
          format = Format.COMBINED;
          if (i < s.length()) {
            space("the user agent");
            latencyText = token("the latency in microseconds");
          }
        } else {
          latencyText = token("the latency in microseconds");
        }
      }
      if (i < s.length()) {
        throw structure(
            "unexpected text at column " + column() + " after the last field: " + found());
      }
      UnicodeText.check("client address", client, t);
      String[] methodAndPath = request(UnicodeText.check("request line", request, t), t);
      int status = checkStatus(number(statusText, "status"), t);
      long bytes = bytesText.equals("-") ? 0 : number(bytesText, "bytes");
      if (bytes < 0) {
        throw new InvalidRecordException(
            "out-of-range", "bytes sent must be 0 or more, was " + bytes, t);
      }
      long latency = -1;
      if (latencyText != null && !latencyText.equals("-")) {
        latency = number(latencyText, "latency");
        if (latency < 0 || latency > MAX_LATENCY_MICROS) {
          throw new InvalidRecordException(
              "out-of-range",
              "latency must be from 0 to 3600000000 microseconds (1 hour), was " + latency,
              t);
        }
      }
      return new AccessLog(
          t,
          format,
          serviceOfPath(methodAndPath[1]),
          client,
          methodAndPath[0],
          methodAndPath[1],
          status,
          bytes,
          latency);
    }

    /** {@code METHOD TARGET [PROTOCOL]}, the target a path. */
    private String[] request(String request, long t) throws InvalidRecordException {
      String[] parts = request.split(" ", -1);
      if (parts.length < 2 || parts.length > 3) {
        throw new InvalidRecordException(
            "bad-request", "request line '" + request + "' is not METHOD /path [PROTOCOL]", t);
      }
      if (!parts[0].matches("[A-Z][A-Z_-]*")) {
        throw new InvalidRecordException(
            "bad-request", "request method '" + parts[0] + "' is not an upper-case word", t);
      }
      if (!parts[1].startsWith("/")) {
        throw new InvalidRecordException(
            "bad-request", "request target '" + parts[1] + "' is not a path starting with '/'", t);
      }
      return parts;
    }

    private long number(String text, String what) throws InvalidRecordException {
      if (!text.matches("-?[0-9]{1,18}")) {
        throw new InvalidRecordException(
            "wrong-type", what + " '" + text + "' is not a whole number", time);
      }
      return Long.parseLong(text);
    }

    private long clfTime(String text) throws InvalidRecordException {
      return EventTimes.parse(
          text,
          CLF_TIME,
          "the time",
          "dd/MMM/yyyy:HH:mm:ss +hhmm (e.g. 10/Oct/2026:13:55:36 -0700)");
    }

    /** A run of non-space characters. */
    private String token(String what) throws InvalidRecordException {
      int start = i;
      while (i < s.length() && s.charAt(i) != ' ') {
        i++;
      }
      if (i == start) {
        throw structure("expected " + what + " at column " + column() + ", found " + found());
      }
      return s.substring(start, i);
    }

    /** A double-quoted string; a backslash escapes the next character. */
    private String quoted(String what) throws InvalidRecordException {
      if (i >= s.length() || s.charAt(i) != '"') {
        throw structure("expected " + what + " at column " + column() + ", found " + found());
      }
      int start = i;
      StringBuilder value = new StringBuilder();
      i++;
      while (i < s.length() && s.charAt(i) != '"') {
        if (s.charAt(i) == '\\' && i + 1 < s.length()) {
          i++;
        }
        value.append(s.charAt(i));
        i++;
      }
      if (i >= s.length()) {
        throw structure(
            "the quoted text that starts at column " + (start + 1) + " has no closing '\"'");
      }
      i++;
      return value.toString();
    }

    private void space(String after) throws InvalidRecordException {
      if (i >= s.length()) {
        throw structure("the line ends after " + after);
      }
      if (s.charAt(i) != ' ') {
        throw structure(
            "expected a space after " + after + " at column " + column() + ", found " + found());
      }
      i++;
    }

    private int column() {
      return i + 1;
    }

    private String found() {
      if (i >= s.length()) {
        return "the end of the line";
      }
      int end = Math.min(s.length(), i + 12);
      return "'" + s.substring(i, end) + (end < s.length() ? "...'" : "'");
    }

    /** A refusal of the layout; it carries the time once the time has been read. */
    private InvalidRecordException structure(String reason) {
      return new InvalidRecordException(
          "not-a-log-line",
          "not a JSON object nor a Common/Combined Log Format line: " + reason,
          time);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AccessLog)) {
      return false;
    }
    AccessLog other = (AccessLog) o;
    return timestampMillis == other.timestampMillis
        && format == other.format
        && service.equals(other.service)
        && client.equals(other.client)
        && method.equals(other.method)
        && path.equals(other.path)
        && status == other.status
        && bytes == other.bytes
        && latencyMicros == other.latencyMicros;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        timestampMillis, format, service, client, method, path, status, bytes, latencyMicros);
  }

  @Override
  public String toString() {
    return String.format(
        "%s %s %s %s %s %d latency=%s (%s)",
        timestamp(),
        service,
        client,
        method,
        path,
        status,
        hasLatency() ? latencyMicros + "us" : "none",
        format);
  }

  /** Deterministic coder: each field in a fixed order. */
  public static final class Coder extends AtomicCoder<AccessLog> {
    private static final Coder INSTANCE = new Coder();
    private static final Format[] FORMATS = Format.values();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(AccessLog.class), INSTANCE);
    }

    @Override
    public void encode(AccessLog value, OutputStream out) throws IOException {
      VarLongCoder.of().encode(value.timestampMillis, out);
      out.write(value.format.ordinal());
      StringUtf8Coder.of().encode(value.service, out);
      StringUtf8Coder.of().encode(value.client, out);
      StringUtf8Coder.of().encode(value.method, out);
      StringUtf8Coder.of().encode(value.path, out);
      VarIntCoder.of().encode(value.status, out);
      VarLongCoder.of().encode(value.bytes, out);
      VarLongCoder.of().encode(value.latencyMicros, out);
    }

    @Override
    public AccessLog decode(InputStream in) throws IOException {
      long t = VarLongCoder.of().decode(in);
      int format = in.read();
      if (format < 0 || format >= FORMATS.length) {
        throw new CoderException("not an AccessLog format: " + format);
      }
      return new AccessLog(
          t,
          FORMATS[format],
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarIntCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
