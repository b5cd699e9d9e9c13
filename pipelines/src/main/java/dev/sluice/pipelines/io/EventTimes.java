package dev.sluice.pipelines.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The one reader of a record's event time, for every job's parser (and {@code kafka produce
 * --time-field}), so that the same mistake gets the same dead letter in every job.
 *
 * <p>A JSON time field is an ISO-8601 date-time with an offset (or {@code Z}), such as {@code
 * "2026-11-21T10:15:30.250+01:00"}, or a JSON whole number of epoch milliseconds, in the years 1 to
 * 9999 (UTC): far inside the timestamps Beam holds (its largest window end is about 292,000 years
 * from 1970), so every window of such a time ends where Beam can put it. The mistakes, with their
 * kinds and reasons (for field {@code ts}):
 *
 * <table>
 *   <caption>Refusals</caption>
 *   <tr><th>mistake</th><th>kind</th><th>reason</th></tr>
 *   <tr><td>absent or JSON {@code null}</td><td>{@code missing-field}</td>
 *       <td>{@code missing field 'ts'}</td></tr>
 *   <tr><td>neither a string nor a whole number ({@code true}, {@code 1.5}, an object)</td>
 *       <td>{@code bad-timestamp}</td>
 *       <td>{@code field 'ts' must be an ISO-8601 date-time string or whole epoch milliseconds,
 *       was a boolean} (or {@code a number with a fraction or an exponent}, {@code an object},
 *       {@code an array})</td></tr>
 *   <tr><td>a string that is no date-time with an offset ({@code "yesterday"}, {@code
 *       "2026-01-01T00:00:00"}, {@code "1767225600000"})</td><td>{@code bad-timestamp}</td>
 *       <td>{@code field 'ts' is not an ISO-8601 date-time with an offset (or Z):
 *       "yesterday"}</td></tr>
 *   <tr><td>outside the years 1 to 9999</td><td>{@code bad-timestamp}</td>
 *       <td>{@code field 'ts' is out of range (years 1 to 9999): 99999999999999999}</td></tr>
 * </table>
 *
 * <p>A time in another syntax (the access log's {@code [10/Oct/2026:13:55:36 -0700]}) is read with
 * {@link #parse} and refused with the same kind and the same words.
 *
 * <pre>{@code
 * long ts = EventTimes.ofField(record, "ts");
 * }</pre>
 */
public final class EventTimes {
  /** The kind of every refusal of a time that is there but unusable. */
  public static final String KIND = "bad-timestamp";

  /** 0001-01-01T00:00:00Z, the earliest event time accepted. */
  public static final long MIN_MILLIS = -62_135_596_800_000L;

  /** 9999-12-31T23:59:59.999Z, the latest event time accepted. */
  public static final long MAX_MILLIS = 253_402_300_799_999L;

  private static final String ISO = "an ISO-8601 date-time with an offset (or Z)";

  /** The longest value a reason quotes; the dead letter keeps the whole record anyway. */
  private static final int MAX_SHOWN = 60;

  private EventTimes() {}

  /**
   * The event time in epoch milliseconds of {@code field} of a JSON object, or a refusal of kind
   * {@code missing-field} or {@value #KIND} (see the class comment); a refusal carries no event
   * time.
   */
  public static long ofField(JsonNode record, String field) throws InvalidRecordException {
    JsonNode value = record.get(field);
    String subject = "field '" + field + "'";
    if (value == null || value.isNull()) {
      throw new InvalidRecordException("missing-field", "missing " + subject);
    }
    if (value.isTextual()) {
      return parse(value.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME, subject, ISO);
    }
    if (!value.isIntegralNumber()) {
      throw new InvalidRecordException(
          KIND,
          subject
              + " must be an ISO-8601 date-time string or whole epoch milliseconds, was "
              + typeOf(value));
    }
    if (!value.canConvertToLong()) {
      throw outOfRange(subject, value.toString());
    }
    return inRange(value.longValue(), subject, value.toString());
  }

  /**
   * The event time in epoch milliseconds of {@code text}, a date-time with an offset in {@code
   * format}; else a refusal of kind {@value #KIND} saying that {@code subject} (say {@code "the
   * time"}) is not {@code formatName}, or is out of range.
   */
  public static long parse(String text, DateTimeFormatter format, String subject, String formatName)
      throws InvalidRecordException {
    String quoted = '"' + text + '"';
    OffsetDateTime time;
    try {
      time = OffsetDateTime.parse(text, format);
    } catch (DateTimeException e) {
      throw new InvalidRecordException(
          KIND, subject + " is not " + formatName + ": " + shown(quoted));
    }
    long millis;
    try {
      millis = time.toInstant().toEpochMilli();
    } catch (ArithmeticException e) {
      // Years near +-1e9 parse but have no epoch milliseconds in a long.
      throw outOfRange(subject, quoted);
    }
    return inRange(millis, subject, quoted);
  }

  /**
   * The JSON type of a value that is not a time, without the value: the record is in the dead
   * letter, and a number would read differently in each job ({@code 1e3} is {@code 1000.0} as a
   * double, {@code 1E+3} as a decimal).
   */
  private static String typeOf(JsonNode value) {
    if (value.isNumber()) {
      return "a number with a fraction or an exponent";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "an array";
    }
    return value.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  private static long inRange(long millis, String subject, String shown)
      throws InvalidRecordException {
    if (millis < MIN_MILLIS || millis > MAX_MILLIS) {
      throw outOfRange(subject, shown);
    }
    return millis;
  }

  private static InvalidRecordException outOfRange(String subject, String shown) {
    return new InvalidRecordException(
        KIND, subject + " is out of range (years 1 to 9999): " + shown(shown));
  }

  /** {@code value}, cut to {@value #MAX_SHOWN} characters (never between a surrogate pair). */
  private static String shown(String value) {
    if (value.length() <= MAX_SHOWN) {
      return value;
    }
    int end = MAX_SHOWN - 3;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(0, end) + "...";
  }
}
